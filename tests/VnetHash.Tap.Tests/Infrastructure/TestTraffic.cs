using System.Diagnostics;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>Test traffic: AF_PACKET datagrams sent out of a tap inside the test namespace.</summary>
internal static class TestTraffic
{
    /// <summary>The destination MAC of the series' selftest.</summary>
    public static readonly byte[] SelftestDestination = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];

    /// <summary>Opens a datagram packet socket on the tap, inside the namespace.</summary>
    public static PacketSocket Open(NetworkNamespace ns, TapDevice device) => ns.Invoke(() => PacketSocket.OpenDatagram(device.InterfaceIndex));

    /// <summary>A UDP/IPv4 payload 10.1.0.1:<paramref name="sourcePort"/> → 10.1.0.2:9 with valid checksums.</summary>
    public static byte[] Udp4(ushort sourcePort)
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.1.0.1", "10.1.0.2").Udp(sourcePort, 9).Build();
        return frame[14..];
    }

    /// <summary>
    /// Waits (hang guard only, no timing claim) until <paramref name="condition"/> holds: it gives up after 20 s
    /// without progress, <paramref name="progress"/> being a count that grows while things move (the machine may be
    /// shared and slow), and after 10 minutes in any case.
    /// </summary>
    public static void WaitUntil(Func<bool> condition, string what, Func<long>? progress = null)
    {
        var total = Stopwatch.StartNew();
        var idle = Stopwatch.StartNew();
        long last = progress?.Invoke() ?? 0;
        while (!condition())
        {
            long now = progress?.Invoke() ?? 0;
            if (now != last)
            {
                last = now;
                idle.Restart();
            }

            if (idle.Elapsed > TimeSpan.FromSeconds(20) || total.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>Takes <paramref name="count"/> frames from a receive queue (hang guard: 20 s).</summary>
    public static List<TapFrame> Take(ReceiveQueue queue, int count)
    {
        var frames = new List<TapFrame>(count);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (frames.Count < count)
        {
            frames.Add(queue.ReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult());
        }

        return frames;
    }
}
