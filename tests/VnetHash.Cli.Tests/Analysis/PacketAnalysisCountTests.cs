using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>
/// <see cref="PacketAnalysis.Count"/> takes plain TCP and UDP packets past the general dissection; what it decides must
/// be what <see cref="PacketAnalysis.Analyze"/> decides, packet by packet, and what it counts the same in sum, under
/// every configuration that changes which packets are plain (hash types, profile, symmetric mode, tunnel types), on
/// every link type that carries them.
/// </summary>
public sealed class PacketAnalysisCountTests
{
    private const int Queues = 4;

    public static TheoryData<string> Configurations => [.. ConfigurationsByName.Keys];

    // Each with the encapsulation types its flows are counted inside (null: the configuration's own).
    private static readonly Dictionary<string, (RssConfiguration Configuration, TunnelTypes? FlowTunnels)> ConfigurationsByName = new()
    {
        ["virtio-spec"] = (RssConfiguration.RoundRobin(Queues), null),
        ["linux-tun"] = (RssConfiguration.RoundRobin(Queues, profile: HashProfile.LinuxTun), null),
        ["addresses only"] = (RssConfiguration.RoundRobin(Queues, HashTypes.IPv4 | HashTypes.IPv6 | HashTypes.IPv6Ex), null),
        ["tcp only"] = (RssConfiguration.RoundRobin(Queues, HashTypes.TcpV4 | HashTypes.TcpV6), null),
        ["symmetric"] = (RssConfiguration.RoundRobin(Queues).WithSymmetric(SymmetricMode.SortedTuple), null),
        ["vxlan hashed inside"] = (RssConfiguration.RoundRobin(Queues).WithTunnels(TunnelTypes.Vxlan), null),
        ["ipip hashed inside"] = (RssConfiguration.RoundRobin(Queues).WithTunnels(TunnelTypes.Ipip), null),

        // What `analyze --compare` sets beside a tunnel configuration: hashed on outer headers, flows counted inside.
        ["outer headers, tunnel flows"] = (RssConfiguration.RoundRobin(Queues), TunnelTypes.All),
    };

    // Connections in both directions, untagged and tagged, so the direction symmetry has something to compare.
    private static readonly byte[][] BothWays =
    [
        .. Pair(b => b.IPv4("192.0.2.1", "198.51.100.7").Tcp(40000, 443), b => b.IPv4("198.51.100.7", "192.0.2.1").Tcp(443, 40000)),
        .. Pair(b => b.IPv4("192.0.2.9", "198.51.100.9").Udp(5353, 53), b => b.IPv4("198.51.100.9", "192.0.2.9").Udp(53, 5353)),
        .. Pair(b => b.IPv6("2001:db8::1", "2001:db8::2").Tcp(40001, 22), b => b.IPv6("2001:db8::2", "2001:db8::1").Tcp(22, 40001)),
        .. Pair(b => b.IPv6("2001:db8::3", "2001:db8::4").Udp(443, 50000), b => b.IPv6("2001:db8::4", "2001:db8::3").Udp(50000, 443)),
        .. Pair(b => b.Vlan(7).IPv4("192.0.2.5", "198.51.100.5").Tcp(1234, 80), b => b.Vlan(7).IPv4("198.51.100.5", "192.0.2.5").Tcp(80, 1234)),
    ];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Counting_counts_what_analysing_decides_for_every_packet(string name)
    {
        (RssConfiguration configuration, TunnelTypes? flowTunnels) = ConfigurationsByName[name];
        var analysis = new PacketAnalysis(configuration, Queues, flowTunnels);
        var generator = new MixedFrameGenerator(seed: 23) { Damaged = true, KernelDivergences = true, VirtioTunnels = true, BeyondBounds = true };
        byte[][] frames = [.. BothWays, .. Enumerable.Range(0, 6000).Select(_ => generator.Next()), .. BothWays];

        foreach ((LinkType linkType, Func<byte[], byte[]> packetOf) in LinkTypes)
        {
            var counted = new AnalysisCounters(Queues);
            var analysed = new AnalysisCounters(Queues);
            int plain = 0;
            int plainLookedInside = 0;
            for (int i = 0; i < frames.Length; i++)
            {
                byte[] packet = packetOf(frames[i]);
                analysis.Count(packet, linkType, packet.Length + 3, counted);
                PacketOutcome outcome = analysis.Analyze(packet, linkType, packet.Length + 3);
                analysed.Add(in outcome);

                // The counters derive the flow of a packet with a connection; it must be the one the analysis decides.
                Assert.True(outcome.Connection == 0 || outcome.Flow == FlowKey.Directed(outcome.Connection), $"{name}, {linkType}, packet {i}: flow {outcome.Flow:x16} of connection {outcome.Connection:x16}");
                if (analysis.TryDecidePlain(packet, LinkLayer.Locate(linkType, packet), out PacketAnalysis.PlainDecision d))
                {
                    plain++;
                    plainLookedInside += d.OuterOnly != TunnelTypes.None ? 1 : 0;

                    // The flow the counters count: a decision with a connection leaves it to them (AnalysisCounters.Add).
                    ulong flow = d.Connection != 0 ? FlowKey.Directed(d.Connection) : d.Flow;
                    Assert.True(
                        (outcome.Queue, outcome.Hash.Report, outcome.Connection, outcome.Flow, outcome.Note, outcome.Info.Tunnel, outcome.OuterOnly)
                        == (d.Queue, d.Report, d.Connection, flow, PacketNote.None, TunnelTypes.None, d.OuterOnly),
                        $"{name}, {linkType}, packet {i}: the shortcut decided queue {d.Queue}, {d.Report}, connection {d.Connection:x16}, flow {flow:x16}, outer only {d.OuterOnly}; the general path {outcome.Queue}, {outcome.Hash.Report}, {outcome.Connection:x16}, {outcome.Flow:x16}, note {outcome.Note}, tunnel {outcome.Info.Tunnel}/{outcome.OuterOnly}");
                }
            }

            AssertAllCountsEqual(analysed, counted);

            // In batches, plain packets are counted one late (their symmetry slot prefetched); the counts stay those of
            // one packet at a time, with batches that end on either kind of packet.
            AssertAllCountsEqual(counted, CountInBatches(analysis, [.. frames.Select(packetOf)], linkType));
            Assert.True(analysed.Symmetry.BothDirections >= (linkType == LinkType.Ethernet ? 5 : 4), $"{linkType}: {analysed.Symmetry.Describe()}");

            // Otherwise the comparison above would hold the general path against itself. No packet is plain when no
            // TCP or UDP type is enabled, or under the symmetric mode (which rearranges the tuple before hashing).
            bool none = name is "addresses only" or "symmetric";
            Assert.True(none ? plain == 0 : plain >= 300, $"{name}, {linkType}: {plain} of {frames.Length} packets counted as plain");

            // UDP to a tunnel port is plain and looked inside where the virtio-spec rules leave its tunnel type off and
            // plain UDP is hashed on its ports.
            bool probes = name is "virtio-spec" or "ipip hashed inside" or "outer headers, tunnel flows";
            Assert.True(probes ? plainLookedInside >= 20 : plainLookedInside == 0, $"{name}, {linkType}: {plainLookedInside} plain packets matched a tunnel type that is not enabled");
        }
    }

    [Fact]
    public void Plain_tcp_and_udp_packets_take_the_shortcut_on_every_link_type_that_carries_them()
    {
        var analysis = new PacketAnalysis(RssConfiguration.RoundRobin(Queues), Queues);
        foreach ((LinkType linkType, Func<byte[], byte[]> packetOf) in LinkTypes)
        {
            Assert.All(BothWays.Where(f => linkType == LinkType.Ethernet || !IsTagged(f)), frame =>
                Assert.True(IsPlain(analysis, packetOf(frame), linkType), $"{linkType}"));
        }
    }

    [Fact]
    public void Fragments_take_the_general_path_and_udp_to_a_tunnel_port_is_looked_inside()
    {
        byte[] fragment = new FrameBuilder().Ethernet().IPv4("192.0.2.1", "198.51.100.7", moreFragments: true).Tcp(40000, 443).Build();
        byte[] vxlan = new FrameBuilder().Ethernet().IPv4("192.0.2.1", "198.51.100.7").Udp(40000, UdpTunnelPorts.Iana.Vxlan)
            .Vxlan(42).Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1234, 80).Build();
        byte[] dns = new FrameBuilder().Ethernet().IPv4("192.0.2.1", "198.51.100.7").Udp(40000, 53).Build();

        // Under the virtio spec with VXLAN not enabled, a UDP packet to the VXLAN port is hashed as plain UDP and looked
        // inside; with VXLAN enabled, no UDP packet is plain (its port may name the tunnel).
        var probing = new PacketAnalysis(RssConfiguration.RoundRobin(Queues), Queues);
        var innerFlows = new PacketAnalysis(RssConfiguration.RoundRobin(Queues), Queues, TunnelTypes.Vxlan);
        var vxlanEnabled = new PacketAnalysis(ConfigurationsByName["vxlan hashed inside"].Configuration, Queues);

        Assert.False(IsPlain(probing, fragment, LinkType.Ethernet));
        Assert.True(IsPlain(probing, dns, LinkType.Ethernet));
        Assert.False(IsPlain(vxlanEnabled, dns, LinkType.Ethernet));

        Assert.True(probing.TryDecidePlain(vxlan, LinkLayer.Locate(LinkType.Ethernet, vxlan), out PacketAnalysis.PlainDecision outer));
        Assert.True(innerFlows.TryDecidePlain(vxlan, LinkLayer.Locate(LinkType.Ethernet, vxlan), out PacketAnalysis.PlainDecision inner));
        Assert.Equal((HashReport.UdpV4, TunnelTypes.Vxlan), (outer.Report, outer.OuterOnly));
        Assert.Equal((HashReport.UdpV4, TunnelTypes.Vxlan), (inner.Report, inner.OuterOnly));
        Assert.Equal(0UL, outer.Flow); // the counters derive the flow of a decision with a connection
        Assert.Equal(FlowKey.Directed(outer.Connection), probing.Analyze(vxlan, LinkType.Ethernet, vxlan.Length).Flow);
        Assert.NotEqual(outer.Connection, inner.Connection);
        Assert.Equal(probing.Analyze(vxlan, LinkType.Ethernet, vxlan.Length).Connection, outer.Connection);
        Assert.Equal(innerFlows.Analyze(vxlan, LinkType.Ethernet, vxlan.Length).Connection, inner.Connection);
    }

    // The queues' counts, the direction symmetry and the tunnel counts, totals and per type.
    private static void AssertAllCountsEqual(AnalysisCounters expected, AnalysisCounters actual)
    {
        ParallelAnalysisTests.AssertSameCounts(expected, actual);
        Assert.Equal(expected.Symmetry.BothDirections, actual.Symmetry.BothDirections);
        Assert.Equal(expected.Symmetry.SameQueue, actual.Symmetry.SameQueue);
        Assert.Equal(expected.InnerHashed, actual.InnerHashed);
        Assert.Equal(expected.OuterOnlyTunnels, actual.OuterOnlyTunnels);
        Assert.Equal(expected.InnerHashedByType.ToArray(), actual.InnerHashedByType.ToArray());
        Assert.Equal(expected.OuterOnlyByType.ToArray(), actual.OuterOnlyByType.ToArray());
    }

    // Counts the packets through the batch loop (CaptureReader.ReadBatches' shape: slices of one buffer), in batches of
    // 1, 2, 7 and 256 packets in turn.
    private static AnalysisCounters CountInBatches(PacketAnalysis analysis, byte[][] packets, LinkType linkType)
    {
        byte[] bytes = [.. packets.SelectMany(p => p)];
        var buffered = new BufferedPacket[packets.Length];
        int start = 0;
        for (int i = 0; i < packets.Length; i++)
        {
            buffered[i] = new BufferedPacket { Start = start, Length = packets[i].Length, OriginalLength = packets[i].Length + 3, LinkType = linkType };
            start += packets[i].Length;
        }

        var counters = new AnalysisCounters(Queues);
        int[] sizes = [1, 2, 7, 256];
        for (int at = 0, turn = 0; at < buffered.Length; turn++)
        {
            int size = Math.Min(sizes[turn % sizes.Length], buffered.Length - at);
            analysis.Count(bytes, buffered.AsSpan(at, size), counters);
            at += size;
        }

        return counters;
    }

    private static bool IsPlain(PacketAnalysis analysis, byte[] packet, LinkType linkType) =>
        analysis.TryDecidePlain(packet, LinkLayer.Locate(linkType, packet), out _);

    // Ethernet as captured; IP without a link header (the frame behind an untagged Ethernet header); Linux cooked
    // capture v1 in front of the IP packet.
    private static readonly (LinkType LinkType, Func<byte[], byte[]> PacketOf)[] LinkTypes =
    [
        (LinkType.Ethernet, frame => frame),
        (LinkType.Raw, frame => frame.Length > 14 ? frame[14..] : []),
        (LinkType.LinuxSll, frame => [.. new byte[14], .. frame.Length >= 14 ? frame[12..] : frame]),
    ];

    private static bool IsTagged(byte[] frame) => frame.Length >= 14 && frame[12] is 0x81 or 0x88;

    private static byte[][] Pair(Func<FrameBuilder, FrameBuilder> forward, Func<FrameBuilder, FrameBuilder> reverse) =>
        [forward(new FrameBuilder().Ethernet()).Build(), reverse(new FrameBuilder().Ethernet()).Build()];
}
