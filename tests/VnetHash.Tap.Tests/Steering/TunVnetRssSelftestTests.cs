using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Tap.Tests.Vectors;
using Xunit;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>
/// The series' <c>TEST_F(tun_vnet_rss, rx)</c> selftest, all seven variants (kernel-series.md §8.1): three queues,
/// table {3, 4}, unclassified queue 5, the Microsoft key; the L3 payload is sent out of the tap through an AF_PACKET
/// datagram socket to 02:00:00:00:00:01, and must arrive on the expected queue with the expected 20-byte header.
/// </summary>
public sealed class TunVnetRssSelftestTests
{
    [RootFact] public void Unclassified_userspace() => Rx("unclassified", SteeringBackendKind.Userspace);

    [RootFact] public void Ipv4_userspace() => Rx("ipv4", SteeringBackendKind.Userspace);

    [RootFact] public void Tcpv4_userspace() => Rx("tcpv4", SteeringBackendKind.Userspace);

    [RootFact] public void Udpv4_userspace() => Rx("udpv4", SteeringBackendKind.Userspace);

    [RootFact] public void Ipv6_userspace() => Rx("ipv6", SteeringBackendKind.Userspace);

    [RootFact] public void Tcpv6_userspace() => Rx("tcpv6", SteeringBackendKind.Userspace);

    [RootFact] public void Udpv6_userspace() => Rx("udpv6", SteeringBackendKind.Userspace);

    internal static void Rx(string variant, SteeringBackendKind backend)
    {
        SelftestVector vector = SelftestVector.ByVariant[variant];
        int queues = vector.Queues!.Value;
        RssConfiguration configuration = RssConfiguration.Create((HashTypes)vector.HashTypes!.Value, vector.Key, vector.IndirectionTable, vector.UnclassifiedQueue!.Value, HashProfile.LinuxTun);

        using var ns = new NetworkNamespace();
        // Userspace steering reads one kernel queue; the kernel-side backends need the three queues themselves.
        using TapDevice device = TestTaps.Create(ns, backend == SteeringBackendKind.Userspace ? 1 : queues);
        using RssTap tap = RssTap.Start(device, configuration, new RssTapOptions { Backend = backend, QueueCount = queues });
        Assert.Equal(backend, tap.Selection.Kind);
        using var socket = TestTraffic.Open(ns, device);
        byte[] payload = SelftestFrames.Payload(vector);

        socket.Send(payload, (ushort)vector.EtherType!.Value, TestTraffic.SelftestDestination);

        using TapFrame frame = TestTraffic.Take(tap.Queues[vector.ExpectedQueue!.Value], 1)[0];
        Assert.Equal(20 + 14 + payload.Length, frame.Packet.Length);
        byte[] expectedHeader = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(expectedHeader.AsSpan(12), vector.ExpectedHash);
        BinaryPrimitives.WriteUInt16LittleEndian(expectedHeader.AsSpan(16), (ushort)vector.ExpectedReport!.Value);
        Assert.Equal(expectedHeader, frame.Header.ToArray());
        Assert.Equal(payload, frame.Frame[14..].ToArray());
        Assert.Equal(vector.ExpectedQueue.Value, frame.Queue);
        Assert.Equal(new HashResult(vector.ExpectedHash, (HashReport)vector.ExpectedReport.Value), frame.Hash);
        for (int q = 0; q < queues; q++)
        {
            Assert.Equal(q == vector.ExpectedQueue ? 1 : 0, tap.Queues[q].Statistics.Delivered);
        }
    }
}
