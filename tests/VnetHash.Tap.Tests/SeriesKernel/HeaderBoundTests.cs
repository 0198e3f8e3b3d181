using System.Collections.Concurrent;
using System.Text.Json;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.SeriesKernel;

/// <summary>
/// The Linux flow dissector's header bound (MAX_FLOW_DISSECT_HDRS, 15 hand-overs) measured inside both series
/// kernels, kind by kind (runner scenario <c>bounds</c>): every frame of 12 to 19 headers gets the kernel's queue,
/// hash and report from the core's <c>linux-tun</c> profile, and the kernel's own answers at the bound are the ones
/// docs/design.md "The linux-tun profile" records.
/// </summary>
public sealed class HeaderBoundTests
{
    private static readonly ConcurrentDictionary<string, Lazy<ScenarioRun>> Runs = new();

    private static ScenarioRun Bounds(string abi) => Runs.GetOrAdd(abi, a => new Lazy<ScenarioRun>(() => SeriesKernelKit.Run("bounds", a))).Value;

    private static string KernelReport(ScenarioRun run, string name) => run.Case(name).GetProperty("kernel_hash").GetString()!.Split(' ')[1];

    private static void AssertKindAgrees(ScenarioRun run, string prefix)
    {
        JsonElement[] lines = [.. run.Results.Where(r => r.GetProperty("case").GetString()!.StartsWith(prefix, StringComparison.Ordinal))];
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.True(line.GetProperty("ok").GetBoolean(), line.GetRawText()));
    }

    /// <summary>16 IPv6 extension headers of a kind before TCP are walked (TCPv6); the 17th is not (IPv6).</summary>
    [SeriesKernelTheory]
    [InlineData("v5", "destination-options")]
    [InlineData("v12", "destination-options")]
    [InlineData("v5", "routing")]
    [InlineData("v12", "routing")]
    [InlineData("v5", "hop-by-hop-first")]
    [InlineData("v12", "hop-by-hop-first")]
    public void Sixteen_extension_headers_of_each_kind_are_walked_and_the_seventeenth_is_not(string abi, string kind)
    {
        ScenarioRun run = Bounds(abi);
        AssertKindAgrees(run, kind + "-");
        Assert.Equal("TcpV6", KernelReport(run, $"{kind}-16"));
        Assert.Equal("IPv6", KernelReport(run, $"{kind}-17"));
    }

    /// <summary>A Fragment header ends the walk whether it is reached or not: addresses only at every length.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void A_fragment_header_after_destination_options_gives_addresses_only_at_every_length(string abi)
    {
        ScenarioRun run = Bounds(abi);
        AssertKindAgrees(run, "fragment-last-");
        Assert.All(Enumerable.Range(12, 8), n => Assert.Equal("IPv6", KernelReport(run, $"fragment-last-{n}")));
    }

    /// <summary>
    /// 15 tags lead to the IPv4 header; after the 16th the walk stops with IPv4 pending and no address read (IPv4,
    /// hash 0); after the 17th with a tag pending (no hash).
    /// </summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Tags_stop_the_walk_after_the_fifteenth_hand_over(string abi)
    {
        ScenarioRun run = Bounds(abi);
        AssertKindAgrees(run, "vlan-");
        Assert.Equal("TcpV4", KernelReport(run, "vlan-15"));
        Assert.Equal("00000000 IPv4", run.Case("vlan-16").GetProperty("kernel_hash").GetString());
        Assert.Equal("None", KernelReport(run, "vlan-17"));
    }

    /// <summary>
    /// IP in IP and GRE: 15 hand-overs reach the innermost header (UDPv4 after 14 extra layers); past them the
    /// walk stops with IPv4 pending and the addresses of the last header read.
    /// </summary>
    [SeriesKernelTheory]
    [InlineData("v5", "ipip")]
    [InlineData("v12", "ipip")]
    [InlineData("v5", "gre")]
    [InlineData("v12", "gre")]
    public void Tunnel_layers_stop_the_walk_after_the_fifteenth_hand_over(string abi, string kind)
    {
        ScenarioRun run = Bounds(abi);
        AssertKindAgrees(run, kind + "-");
        Assert.Equal("UdpV4", KernelReport(run, $"{kind}-14"));
        Assert.Equal("IPv4", KernelReport(run, $"{kind}-15"));
        Assert.Equal(run.Case($"{kind}-15").GetProperty("kernel_hash").GetString(), run.Case($"{kind}-19").GetProperty("kernel_hash").GetString());
    }

    /// <summary>
    /// The bound met as the network protocol changes: the dissector's address key is one union, so IPv4 pending over
    /// IPv6 addresses hashes their first 8 bytes, IPv6 pending over IPv4 addresses the IPv4 ones and what the older
    /// IPv6 header left (or zeros); a PPPoE session after 15 tags leaves IPv4 pending with nothing read.
    /// </summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void A_protocol_pending_at_the_bound_takes_the_addresses_the_last_header_left(string abi)
    {
        ScenarioRun run = Bounds(abi);
        AssertKindAgrees(run, "ipv4-pending");
        AssertKindAgrees(run, "ipv6-pending");
        AssertKindAgrees(run, "pppoe-after");
        Assert.Equal("IPv4", KernelReport(run, "ipv4-pending-over-ipv6-16"));
        Assert.Equal("IPv6", KernelReport(run, "ipv6-pending-over-ipv4-16"));
        Assert.Equal("00000000 IPv4", run.Case("pppoe-after-15-tags-16").GetProperty("kernel_hash").GetString());
    }

    /// <summary>
    /// The dissector's other corners: GRE version 1 reports its protocol type over the outer addresses unless it is
    /// PPTP, whose payload is walked; versions above 1 and routing keep the outer header; MPLS in IP and cut GRE
    /// fields get no hash; batman-adv unicast frames of the compatible version are walked.
    /// </summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void The_dissectors_corners_are_decided_as_the_kernel_does(string abi)
    {
        ScenarioRun run = Bounds(abi);
        string[] corners = [.. MixedFrameGenerator.DissectorCorners().Select(corner => corner.Name)];
        Assert.All(corners, name => Assert.True(run.Case(name).GetProperty("ok").GetBoolean(), run.Case(name).GetRawText()));
        Assert.Equal("IPv6", KernelReport(run, "gre-version-1-ipv6-over-ipv4"));
        Assert.Equal("UdpV4", KernelReport(run, "pptp-ipv4"));
        Assert.Equal("TcpV6", KernelReport(run, "pptp-ipv6-no-ack"));
        Assert.Equal("None", KernelReport(run, "mpls-in-ipv4"));
        Assert.Equal("UdpV4", KernelReport(run, "batman-adv-unicast-ipv4"));
    }
}
