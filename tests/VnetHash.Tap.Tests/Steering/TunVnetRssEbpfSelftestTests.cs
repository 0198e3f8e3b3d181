using VnetHash.Tap.Tests.Infrastructure;
using Xunit;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>
/// The seven <c>TEST_F(tun_vnet_rss, rx)</c> variants (kernel-series.md §8.1) with the queue chosen by the steering
/// program in the kernel and the report computed on read; one device and program serve all seven.
/// </summary>
public sealed class TunVnetRssEbpfSelftestTests(EbpfSelftestFixture fixture) : IClassFixture<EbpfSelftestFixture>
{
    [RootFact] public void Unclassified_ebpf() => fixture.Tap.Rx("unclassified");

    [RootFact] public void Ipv4_ebpf() => fixture.Tap.Rx("ipv4");

    [RootFact] public void Tcpv4_ebpf() => fixture.Tap.Rx("tcpv4");

    [RootFact] public void Udpv4_ebpf() => fixture.Tap.Rx("udpv4");

    [RootFact] public void Ipv6_ebpf() => fixture.Tap.Rx("ipv6");

    [RootFact] public void Tcpv6_ebpf() => fixture.Tap.Rx("tcpv6");

    [RootFact] public void Udpv6_ebpf() => fixture.Tap.Rx("udpv6");
}
