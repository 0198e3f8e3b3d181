using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Steering;
using Xunit;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>When the series' kernel RSS may be used (kernel-series.md §3.7, §4.2).</summary>
public sealed class KernelFitTests
{
    [Fact]
    public void IPv6_only_types_are_refused_because_of_the_key_length_quirk()
    {
        RssConfiguration ipv6Only = RssConfiguration.RoundRobin(2, HashTypes.IPv6 | HashTypes.TcpV6 | HashTypes.UdpV6);
        Assert.Contains("4 key bytes", RssTap.KernelUnfit(ipv6Only, 2, 2), StringComparison.Ordinal);
        Assert.Null(RssTap.KernelUnfit(RssConfiguration.RoundRobin(2, HashTypes.AllNonEx), 2, 2));
        Assert.Null(RssTap.KernelUnfit(RssConfiguration.RoundRobin(2, HashTypes.IPv4), 2, 2));
    }

    [Fact]
    public void The_kernel_steers_only_among_its_attached_queues()
    {
        Assert.Contains("attached queues", RssTap.KernelUnfit(RssConfiguration.RoundRobin(4, HashTypes.AllNonEx), 1, 4), StringComparison.Ordinal);
    }
}
