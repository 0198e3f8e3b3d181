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
        using var tap = new SelftestTap(backend);
        tap.Rx(variant);
    }

    /// <summary>
    /// The steering program implements the virtio-spec rules; userspace runs the series kernel's own (linux-tun).
    /// The seven selftest frames hash alike under both.
    /// </summary>
    internal static HashProfile ProfileFor(SteeringBackendKind backend) => backend == SteeringBackendKind.Ebpf ? HashProfile.VirtioSpec : HashProfile.LinuxTun;
}
