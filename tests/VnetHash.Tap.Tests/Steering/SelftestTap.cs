using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Tap.Tests.Vectors;
using VnetHash.Traffic;
using Xunit;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>
/// The set-up of the series' <c>tun_vnet_rss</c> selftest (kernel-series.md §8.1) in a namespace of its own: three
/// queues, table {3, 4}, unclassified queue 5, the Microsoft key, steered by the given backend.
/// </summary>
public sealed class SelftestTap : IDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly TapDevice _device;
    private readonly RssTap _tap;
    private readonly PacketSocket _socket;

    public SelftestTap(SteeringBackendKind backend)
    {
        SelftestVector any = SelftestVector.ByVariant["ipv4"];
        int queues = any.Queues!.Value;
        RssConfiguration configuration = RssConfiguration.Create((HashTypes)any.HashTypes!.Value, any.Key, any.IndirectionTable, any.UnclassifiedQueue!.Value, TunVnetRssSelftestTests.ProfileFor(backend));
        _ns = new NetworkNamespace();
        try
        {
            // Userspace steering reads one kernel queue; the kernel-side backends need the three queues themselves.
            _device = TestTaps.Create(_ns, backend == SteeringBackendKind.Userspace ? 1 : queues);
            _tap = RssTap.Start(_device, configuration, new RssTapOptions { Backend = backend, QueueCount = queues });
            _socket = TestTraffic.Open(_ns, _device);
        }
        catch
        {
            Dispose();
            throw;
        }

        Assert.Equal(backend, _tap.Selection.Kind);
    }

    /// <summary>The <c>rx</c> test of one variant: send the L3 payload out of the tap, read it from the expected queue, compare the whole 20-byte header.</summary>
    public void Rx(string variant)
    {
        SelftestVector vector = SelftestVector.ByVariant[variant];
        byte[] payload = SelftestFrames.Payload(vector);

        _socket.Send(payload, (ushort)vector.EtherType!.Value, TestTraffic.SelftestDestination);

        using TapFrame frame = TestTraffic.Take(_tap.Queues[vector.ExpectedQueue!.Value], 1)[0];
        Assert.Equal(20 + 14 + payload.Length, frame.Packet.Length);
        byte[] expectedHeader = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(expectedHeader.AsSpan(12), vector.ExpectedHash);
        BinaryPrimitives.WriteUInt16LittleEndian(expectedHeader.AsSpan(16), (ushort)vector.ExpectedReport!.Value);
        Assert.Equal(expectedHeader, frame.Header.ToArray());
        Assert.Equal(payload, frame.Frame[14..].ToArray());
        Assert.Equal(vector.ExpectedQueue.Value, frame.Queue);
        Assert.Equal(new HashResult(vector.ExpectedHash, (HashReport)vector.ExpectedReport.Value), frame.Hash);
        Assert.All(_tap.Queues, q => Assert.Equal(0, q.Statistics.Queued));
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _tap?.Dispose();
        _device?.Dispose();
        _ns.Dispose();
    }
}
