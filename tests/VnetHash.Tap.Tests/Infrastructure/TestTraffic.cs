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

    /// <summary>Waits (hang guard only, no timing claim) until <paramref name="condition"/> holds.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
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
