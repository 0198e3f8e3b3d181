using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;
using static VnetHash.Tests.Rules.RuleAssert;

namespace VnetHash.Tests.Rules;

/// <summary>
/// Inner-header hashing (virtio spec, "Inner Header Hash", feature VIRTIO_NET_F_HASH_TUNNEL): with a type enabled,
/// a frame whose outer header matches it is hashed on its inner packet; otherwise on its outer header. Each test
/// pins one decision of docs/design.md ("Tunnels") and cites the rule it rests on.
/// </summary>
public class TunnelRuleTests
{
    private const string OuterA = "10.0.0.1";
    private const string OuterB = "10.0.0.2";
    private const string InnerA = "172.16.0.1";
    private const string InnerB = "172.16.0.2";
    private const string Outer6A = "2001:db8::a";
    private const string Outer6B = "2001:db8::b";
    private const string Inner6A = "fd00::1";
    private const string Inner6B = "fd00::2";

    private static readonly HashResult Inner = new(Tuple(InnerA, InnerB, 1000, 2000), HashReport.TcpV4);
    private static readonly HashResult OuterIPv4 = new(Tuple(OuterA, OuterB), HashReport.IPv4);
    private static readonly HashResult OuterIPv6 = new(Tuple(Outer6A, Outer6B), HashReport.IPv6);

    private static HashResult Hash(byte[] frame, TunnelTypes tunnels, UdpTunnelPorts? ports = null, HashTypes types = HashTypes.All, FrameKind kind = FrameKind.Ethernet) =>
        new PacketHasher(Key, types, HashProfile.VirtioSpec, SymmetricMode.None, tunnels, ports).Hash(frame, kind);

    private static TunnelTypes Matched(byte[] frame, TunnelTypes tunnels, UdpTunnelPorts? ports = null) =>
        PacketDissector.Dissect(frame, FrameKind.Ethernet, HashProfile.VirtioSpec, tunnels, ports).Tunnel;

    private static FrameBuilder Outer4() => new FrameBuilder().Ethernet().IPv4(OuterA, OuterB);

    private static FrameBuilder Outer6() => new FrameBuilder().Ethernet().IPv6(Outer6A, Outer6B);

    private static FrameBuilder InnerTcp(FrameBuilder builder) => builder.IPv4(InnerA, InnerB).Tcp(1000, 2000);

    private static FrameBuilder InnerEthernetTcp(FrameBuilder builder) => InnerTcp(builder.Ethernet());

    /// <summary>One frame of each type, built as its RFC describes it.</summary>
    public static TheoryData<string, TunnelTypes> EachType => new()
    {
        { "GRE (RFC 2784) over IPv4", TunnelTypes.Gre2784 },
        { "GRE with a key (RFC 2890) over IPv4", TunnelTypes.Gre2890 },
        { "GRE over IPv6 (RFC 7676)", TunnelTypes.Gre7676 },
        { "GRE in UDP (RFC 8086)", TunnelTypes.GreUdp },
        { "VXLAN (RFC 7348)", TunnelTypes.Vxlan },
        { "VXLAN-GPE", TunnelTypes.VxlanGpe },
        { "GENEVE (RFC 8926)", TunnelTypes.Geneve },
        { "IPv4 in IPv4 (RFC 2003)", TunnelTypes.Ipip },
        { "NVGRE (RFC 7637)", TunnelTypes.Nvgre },
    };

    private static (byte[] Frame, HashResult Outer) FrameOf(TunnelTypes type) => type switch
    {
        TunnelTypes.Gre2784 => (InnerTcp(Outer4().Gre()).Build(), OuterIPv4),
        TunnelTypes.Gre2890 => (InnerTcp(Outer4().Gre(key: 7, sequence: 9)).Build(), OuterIPv4),
        TunnelTypes.Gre7676 => (InnerTcp(Outer6().Gre()).Build(), OuterIPv6),
        TunnelTypes.GreUdp => (InnerTcp(Outer4().Udp(40000, 4754).Gre()).Build(), new(Tuple(OuterA, OuterB, 40000, 4754), HashReport.UdpV4)),
        TunnelTypes.Vxlan => (InnerEthernetTcp(Outer4().Udp(40000, 4789).Vxlan(42)).Build(), new(Tuple(OuterA, OuterB, 40000, 4789), HashReport.UdpV4)),
        TunnelTypes.VxlanGpe => (InnerTcp(Outer4().Udp(40000, 4790).VxlanGpe(42)).Build(), new(Tuple(OuterA, OuterB, 40000, 4790), HashReport.UdpV4)),
        TunnelTypes.Geneve => (InnerEthernetTcp(Outer4().Udp(40000, 6081).Geneve(42)).Build(), new(Tuple(OuterA, OuterB, 40000, 6081), HashReport.UdpV4)),
        TunnelTypes.Ipip => (InnerTcp(Outer4()).Build(), OuterIPv4),
        _ => (InnerEthernetTcp(Outer6().Gre(key: 0x00012300)).Build(), OuterIPv6),
    };

    // "If ... a received encapsulated packet's outer header matches one of the encapsulation types enabled in
    // enabled_tunnel_types, then the device uses the inner header for hash calculations."
    [Theory]
    [MemberData(nameof(EachType))]
    public void Each_type_when_enabled_is_hashed_on_the_inner_packet(string name, TunnelTypes type)
    {
        (byte[] frame, _) = FrameOf(type);
        Assert.True(Inner == Hash(frame, type), name);
        Assert.True((Matched(frame, type) & type) == type, name);
    }

    // "If ... a received packet's (outer) header does not match any encapsulation types enabled ..., then the device
    // uses the outer header for hash calculations."
    [Theory]
    [MemberData(nameof(EachType))]
    public void Each_type_when_disabled_is_hashed_on_the_outer_header(string name, TunnelTypes type)
    {
        (byte[] frame, HashResult outer) = FrameOf(type);
        TunnelTypes others = TunnelTypes.All & ~type;
        if (type == TunnelTypes.Nvgre)
        {
            // An NVGRE frame over IPv6 is also GRE over IPv6 (RFC 7676), which would match on its own.
            others &= ~TunnelTypes.Gre7676;
        }

        Assert.True(outer == Hash(frame, others), name);
        Assert.True(outer == Hash(frame, TunnelTypes.None), name);
        Assert.Equal(TunnelTypes.None, Matched(frame, others));
    }

    // "Initially (before the driver sends any VIRTIO_NET_CTRL_HASH_TUNNEL_SET command) all encapsulation types are
    // disabled": a configuration without tunnel types hashes every tunnel on its outer header.
    [Fact]
    public void A_configuration_starts_with_every_type_disabled()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(4);
        Assert.Equal(TunnelTypes.None, configuration.TunnelTypes);
        Assert.Equal(UdpTunnelPorts.Iana, configuration.TunnelPorts);
        (byte[] frame, HashResult outer) = FrameOf(TunnelTypes.Vxlan);
        Assert.Equal(outer, new RssSteering(configuration).Hasher.Hash(frame, FrameKind.Ethernet));
    }

    // The queue follows the inner hash: table[inner hash & mask].
    [Fact]
    public void The_queue_comes_from_the_inner_hash()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(16).WithTunnels(TunnelTypes.Vxlan);
        (byte[] frame, _) = FrameOf(TunnelTypes.Vxlan);
        RssDecision decision = new RssSteering(configuration).Decide(frame, FrameKind.Ethernet, 16);
        Assert.Equal(Inner, decision.Hash);
        Assert.Equal(configuration.IndirectionTable[(int)(Inner.Value & (uint)configuration.IndirectionTableMask)], decision.Queue);
    }

    // RFC 2003 defines IPv4 in IPv4 (protocol 4) only; 6in4 (RFC 4213), 4in6 and 6in6 (RFC 2473) are other RFCs' tunnels.
    [Theory]
    [InlineData("6in4")]
    [InlineData("4in6")]
    [InlineData("6in6")]
    public void Ipip_is_ipv4_in_ipv4_only(string tunnel)
    {
        FrameBuilder builder = tunnel[2] == '4' ? Outer4() : Outer6();
        builder = tunnel[0] == '4' ? builder.IPv4(InnerA, InnerB) : builder.IPv6(Inner6A, Inner6B);
        byte[] frame = builder.Tcp(1000, 2000).Build();
        Assert.Equal(tunnel[2] == '4' ? OuterIPv4 : OuterIPv6, Hash(frame, TunnelTypes.All));
    }

    // Protocol 4 announces IPv4; a version nibble that disagrees leaves an inner packet that is not IP (as for any
    // frame whose EtherType and version disagree), and the matched tunnel's inner packet decides: no hash.
    [Fact]
    public void Ipip_with_a_non_ipv4_inner_header_gets_no_hash()
    {
        byte[] frame = InnerTcp(Outer4()).Build();
        frame[14 + 20] = 0x65;
        Assert.Equal(HashResult.None, Hash(frame, TunnelTypes.Ipip));
    }

    // RFC 2784 section 2 and RFC 2890 section 2: a header with neither Key nor Sequence Number is RFC 2784's (with or
    // without a checksum), one with either is RFC 2890's.
    [Theory]
    [InlineData(false, false, false, TunnelTypes.Gre2784)]
    [InlineData(true, false, false, TunnelTypes.Gre2784)]
    [InlineData(false, true, false, TunnelTypes.Gre2890)]
    [InlineData(false, false, true, TunnelTypes.Gre2890)]
    [InlineData(true, true, true, TunnelTypes.Gre2890)]
    public void Gre_over_ipv4_is_rfc_2784_without_key_and_sequence_number_and_rfc_2890_with_either(bool checksum, bool key, bool sequence, TunnelTypes expected)
    {
        byte[] frame = InnerTcp(Outer4().Gre(checksum, key ? 5u : null, sequence ? 6u : null)).Build();
        Assert.Equal(expected, Matched(frame, TunnelTypes.All));
        Assert.Equal(Inner, Hash(frame, expected));
        Assert.Equal(OuterIPv4, Hash(frame, TunnelTypes.All & ~expected));
    }

    // RFC 2784 section 2.1: a receiver discards a packet with any of bits 1 to 5 set (RFC 1701's routing, strict
    // source route and recursion bits; RFC 2890 gives bits 2 and 3 to K and S), and version 0 is the only one;
    // bits 6 to 12 are ignored on receipt. Such packets are not GRE of these RFCs: the outer header is hashed.
    [Theory]
    [InlineData(0x4000, false)]
    [InlineData(0x0800, false)]
    [InlineData(0x0400, false)]
    [InlineData(0x0001, false)]
    [InlineData(0x0007, false)]
    [InlineData(0x0200, true)]
    [InlineData(0x0008, true)]
    public void Gre_headers_other_rfcs_define_are_not_matched(int extraFlags, bool matches)
    {
        byte[] frame = InnerTcp(Outer4().Gre()).Build();
        frame[14 + 20] |= (byte)(extraFlags >> 8);
        frame[14 + 21] |= (byte)extraFlags;
        Assert.Equal(matches ? Inner : OuterIPv4, Hash(frame, TunnelTypes.All));
    }

    // RFC 7676 covers GRE with IPv6 as the delivery protocol or as the payload: GRE over IPv4 carrying IPv6 is
    // GRE_7676 as well as GRE_2784/GRE_2890.
    [Fact]
    public void Gre_over_ipv4_carrying_ipv6_is_also_rfc_7676()
    {
        byte[] frame = Outer4().Gre().IPv6(Inner6A, Inner6B).Udp(1, 2).Build();
        Assert.Equal(TunnelTypes.Gre2784 | TunnelTypes.Gre7676, Matched(frame, TunnelTypes.All));
        var inner = new HashResult(Tuple(Inner6A, Inner6B, 1, 2), HashReport.UdpV6);
        Assert.Equal(inner, Hash(frame, TunnelTypes.Gre7676));
        Assert.Equal(inner, Hash(frame, TunnelTypes.Gre2784));
    }

    // RFC 2784 is "only specified for IPv4" as delivery protocol (virtio spec's [RFC2784] reference): GRE over IPv6 is
    // RFC 7676's whatever its optional fields.
    [Fact]
    public void Gre_over_ipv6_is_rfc_7676_only()
    {
        byte[] frame = InnerTcp(Outer6().Gre(key: 1, sequence: 2)).Build();
        Assert.Equal(TunnelTypes.Gre7676, Matched(frame, TunnelTypes.All));
        Assert.Equal(OuterIPv6, Hash(frame, TunnelTypes.Gre2784 | TunnelTypes.Gre2890));
    }

    // RFC 7637 section 3.2: NVGRE has C and S clear, K set (VSID and FlowID in the key) and protocol type 0x6558,
    // over IPv4 or IPv6. The same bytes are keyed GRE carrying Ethernet (Linux's gretap with a key), so such a frame
    // matches NVGRE and GRE_2890 (IPv4) or GRE_7676 (IPv6); either enabled type takes it inside.
    [Fact]
    public void Nvgre_is_keyed_gre_carrying_ethernet_and_also_matches_the_gre_type_of_its_delivery()
    {
        byte[] v4 = InnerEthernetTcp(Outer4().Gre(key: 0x00abcd01)).Build();
        Assert.Equal(TunnelTypes.Nvgre | TunnelTypes.Gre2890, Matched(v4, TunnelTypes.All));
        Assert.Equal(Inner, Hash(v4, TunnelTypes.Nvgre));
        Assert.Equal(Inner, Hash(v4, TunnelTypes.Gre2890));
        Assert.Equal(TunnelTypes.Nvgre, Matched(v4, TunnelTypes.Nvgre));

        byte[] v6 = InnerEthernetTcp(Outer6().Gre(key: 0x00abcd01)).Build();
        Assert.Equal(TunnelTypes.Nvgre | TunnelTypes.Gre7676, Matched(v6, TunnelTypes.All));
    }

    // NVGRE's checksum and sequence bits MUST be zero (RFC 7637 section 3.2), and it carries Ethernet only.
    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void Keyed_gre_with_a_checksum_or_sequence_number_or_without_ethernet_is_not_nvgre(bool checksum, bool sequence, bool ethernet)
    {
        FrameBuilder builder = Outer4().Gre(checksum, key: 9, sequence: sequence ? 3u : null);
        byte[] frame = (ethernet ? InnerEthernetTcp(builder) : InnerTcp(builder)).Build();
        Assert.Equal(OuterIPv4, Hash(frame, TunnelTypes.Nvgre));
        Assert.Equal(Inner, Hash(frame, TunnelTypes.Gre2890));
    }

    // Ethernet over GRE without a key is RFC 2784 GRE whose protocol type (0x6558) announces Ethernet.
    [Fact]
    public void Ethernet_over_gre_without_a_key_is_rfc_2784() =>
        Assert.Equal(TunnelTypes.Gre2784, Matched(InnerEthernetTcp(Outer4().Gre()).Build(), TunnelTypes.All));

    // RFC 8086: GRE-in-UDP is the GRE header inside UDP to port 4754; it is GRE_UDP only, whatever its GRE flags,
    // since GRE_2784, GRE_2890, GRE_7676 and NVGRE are GRE directly in IP.
    [Fact]
    public void Gre_in_udp_is_gre_udp_only()
    {
        byte[] frame = InnerEthernetTcp(Outer4().Udp(40000, 4754).Gre(key: 1)).Build();
        Assert.Equal(TunnelTypes.GreUdp, Matched(frame, TunnelTypes.All));
        Assert.Equal(Inner, Hash(frame, TunnelTypes.GreUdp));
    }

    // RFC 7348 section 5: the I flag MUST be set for a valid VNI; the other flag bits are ignored on receipt.
    [Theory]
    [InlineData(0x08, true)]
    [InlineData(0xFF, true)]
    [InlineData(0x00, false)]
    [InlineData(0xF7, false)]
    public void Vxlan_needs_the_i_flag_and_ignores_the_reserved_flags(int flags, bool matches)
    {
        byte[] frame = InnerEthernetTcp(Outer4().Udp(40000, 4789).Vxlan(1, (byte)flags)).Build();
        Assert.Equal(matches ? TunnelTypes.Vxlan : TunnelTypes.None, Matched(frame, TunnelTypes.All));
    }

    // UDP tunnels are recognised by destination port (the source port carries entropy, RFC 7348 section 5); the ports
    // default to IANA's and are configurable: Linux's vxlan driver defaults to 8472.
    [Fact]
    public void Udp_tunnels_are_recognised_by_destination_port_which_is_configurable()
    {
        byte[] linux = InnerEthernetTcp(Outer4().Udp(40000, 8472).Vxlan(1)).Build();
        Assert.Equal(TunnelTypes.None, Matched(linux, TunnelTypes.All));
        var ports = new UdpTunnelPorts(Vxlan: 8472);
        Assert.Equal(Inner, Hash(linux, TunnelTypes.Vxlan, ports));

        byte[] iana = InnerEthernetTcp(Outer4().Udp(40000, 4789).Vxlan(1)).Build();
        Assert.Equal(TunnelTypes.None, Matched(iana, TunnelTypes.All, ports));

        byte[] sourceOnly = InnerEthernetTcp(Outer4().Udp(4789, 40000).Vxlan(1)).Build();
        Assert.Equal(TunnelTypes.None, Matched(sourceOnly, TunnelTypes.All));
    }

    // draft-ietf-nvo3-vxlan-gpe-12 section 3.2: version 0 (a receiver drops other versions), the I flag for a valid
    // VNI and the P flag for a present Next Protocol; B and O do not change what follows.
    [Theory]
    [InlineData(0x0C, true)]
    [InlineData(0x0F, true)]
    [InlineData(0x1C, false)]
    [InlineData(0x2C, false)]
    [InlineData(0x08, false)]
    [InlineData(0x04, false)]
    public void Vxlan_gpe_needs_version_0_and_the_i_and_p_flags(int flags, bool matches)
    {
        byte[] frame = InnerTcp(Outer4().Udp(40000, 4790).VxlanGpe(1, flags: (byte)flags)).Build();
        Assert.Equal(matches ? TunnelTypes.VxlanGpe : TunnelTypes.None, Matched(frame, TunnelTypes.All));
    }

    // The Next Protocol says what follows: 1 IPv4, 2 IPv6, 3 Ethernet; anything else (4 NSH, 5 MPLS, ...) is an inner
    // packet that is not IP, which gets no hash.
    [Fact]
    public void Vxlan_gpe_next_protocol_announces_the_inner_packet()
    {
        Assert.Equal(Inner, Hash(InnerTcp(Outer4().Udp(1, 4790).VxlanGpe(1)).Build(), TunnelTypes.VxlanGpe));
        Assert.Equal(Inner, Hash(InnerEthernetTcp(Outer4().Udp(1, 4790).VxlanGpe(1)).Build(), TunnelTypes.VxlanGpe));
        var v6 = new HashResult(Tuple(Inner6A, Inner6B, 1000, 2000), HashReport.TcpV6);
        Assert.Equal(v6, Hash(Outer4().Udp(1, 4790).VxlanGpe(1).IPv6(Inner6A, Inner6B).Tcp(1000, 2000).Build(), TunnelTypes.VxlanGpe));

        byte[] nsh = InnerTcp(Outer4().Udp(1, 4790).VxlanGpe(1, nextProtocol: 4)).Build();
        Assert.Equal(TunnelTypes.VxlanGpe, Matched(nsh, TunnelTypes.All));
        Assert.Equal(HashResult.None, Hash(nsh, TunnelTypes.VxlanGpe));
    }

    // RFC 8926 section 3.4: options (Opt Len x 4 bytes) are skipped whatever they hold, critical (C bit) or not;
    // version 0 only; options that run past the packet leave no inner packet to read, so the outer header is hashed.
    [Fact]
    public void Geneve_options_are_skipped_by_length()
    {
        byte[] options = new byte[12];
        options[2] = 0x80; // a critical option type
        byte[] frame = InnerEthernetTcp(Outer4().Udp(1, 6081).Geneve(7, options)).Build();
        frame[14 + 20 + 8 + 1] |= 0x40; // C: critical options present
        Assert.Equal(Inner, Hash(frame, TunnelTypes.Geneve));

        byte[] version1 = InnerEthernetTcp(Outer4().Udp(1, 6081).Geneve(7)).Build();
        version1[14 + 20 + 8] |= 0x40;
        Assert.Equal(TunnelTypes.None, Matched(version1, TunnelTypes.All));

        byte[] beyond = Outer4().Udp(1, 6081).Geneve(7, new byte[252]).Build()[..(14 + 20 + 8 + 8 + 100)];
        Assert.Equal(TunnelTypes.None, Matched(beyond, TunnelTypes.All));
    }

    // PacketDissector.MatchUdpTunnel answers for the UDP header at an offset what dissection's look for tunnels answers,
    // without the dissection: on the IP packet exactly; on the frame, whose padding may follow the IP packet, a superset,
    // so that None there means no UDP tunnel (the analysis skips its look inside on that).
    [Theory]
    [InlineData(TunnelTypes.GreUdp)]
    [InlineData(TunnelTypes.Vxlan)]
    [InlineData(TunnelTypes.VxlanGpe)]
    [InlineData(TunnelTypes.Geneve)]
    public void The_udp_tunnel_match_of_a_frame_holds_every_type_its_dissection_finds(TunnelTypes type)
    {
        const int udp = 14 + 20;
        byte[] frame = FrameOf(type).Frame;
        Assert.Equal(type, PacketDissector.MatchUdpTunnel(frame, udp, UdpTunnelPorts.Iana));

        // Random changes of the UDP and tunnel headers (ports, flags, versions, lengths, option lengths), in frames
        // cut short, and with 32 bytes of padding after the IP packet, which dissection leaves out and the frame's
        // match does not.
        var random = new Random((int)type);
        int disagreements = 0;
        for (int i = 0; i < 4_000; i++)
        {
            byte[] changed = [.. frame, .. new byte[i % 2 == 0 ? 0 : 32]];
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                changed[udp + random.Next(0, 16)] = (byte)random.Next(256);
            }

            if (i % 3 == 0)
            {
                // The IP length field ends the IP packet inside or right after the tunnel header.
                changed[14 + 2] = 0;
                changed[14 + 3] = (byte)(20 + 8 + random.Next(0, 16));
            }

            ReadOnlySpan<byte> cut = changed.AsSpan(0, random.Next(udp, changed.Length + 1));
            TunnelTypes dissected = PacketDissector.Dissect(cut, FrameKind.Ethernet, HashProfile.VirtioSpec, TunnelTypes.All).Tunnel & UdpTunnelTypes;
            TunnelTypes matched = PacketDissector.MatchUdpTunnel(cut, udp, UdpTunnelPorts.Iana);
            Assert.Equal(dissected, matched & dissected);
            disagreements += matched != dissected ? 1 : 0;
        }

        // The padding and the shortened IP packets make the frame's match the larger one in some cases.
        Assert.InRange(disagreements, 1, 4_000);
        Assert.Equal(TunnelTypes.None, PacketDissector.MatchUdpTunnel(frame, frame.Length - 7, UdpTunnelPorts.Iana));
        Assert.Equal(TunnelTypes.None, PacketDissector.MatchUdpTunnel(frame, -1, UdpTunnelPorts.Iana));
    }

    private const TunnelTypes UdpTunnelTypes = TunnelTypes.GreUdp | TunnelTypes.Vxlan | TunnelTypes.VxlanGpe | TunnelTypes.Geneve;

    // GENEVE's protocol type is an EtherType: IPv4 and IPv6 directly, Ethernet as 0x6558, anything else not IP.
    [Fact]
    public void Geneve_protocol_type_announces_the_inner_packet()
    {
        Assert.Equal(Inner, Hash(InnerTcp(Outer4().Udp(1, 6081).Geneve(7)).Build(), TunnelTypes.Geneve));
        Assert.Equal(HashResult.None, Hash(InnerTcp(Outer4().Udp(1, 6081).Geneve(7, protocol: 0x8847)).Build(), TunnelTypes.Geneve));
    }

    // Once the outer header matches, the inner packet decides under the ordinary rules, as if it had arrived alone: an
    // inner frame that is not IP (ARP in VXLAN) gets no hash and the unclassified queue, not the outer hash.
    [Fact]
    public void A_non_ip_inner_packet_gets_no_hash()
    {
        byte[] arp = Outer4().Udp(1, 4789).Vxlan(1).Ethernet(etherType: 0x0806).Payload(new byte[28]).Build();
        Assert.Equal(TunnelTypes.Vxlan, Matched(arp, TunnelTypes.All));
        Assert.Equal(HashResult.None, Hash(arp, TunnelTypes.Vxlan));
        RssConfiguration configuration = RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, [0, 1, 2, 3], unclassifiedQueue: 3, tunnelTypes: TunnelTypes.Vxlan);
        Assert.Equal(3, new RssSteering(configuration).Decide(arp, FrameKind.Ethernet, 4).Queue);
    }

    // The enabled hash types apply to the inner packet: an IPv6 inner packet with only IPv4 types enabled gets no hash.
    [Fact]
    public void The_enabled_hash_types_apply_to_the_inner_packet()
    {
        byte[] frame = Outer4().Gre().IPv6(Inner6A, Inner6B).Tcp(1, 2).Build();
        Assert.Equal(HashResult.None, Hash(frame, TunnelTypes.Gre2784, types: HashTypes.IPv4 | HashTypes.TcpV4));
    }

    // A tunnel header that is cut short, or optional GRE fields that run past the packet, is no match: the outer header
    // is hashed. A whole tunnel header with an inner packet cut short: the inner rules (IP header cut: no hash; TCP
    // header cut: addresses only).
    [Fact]
    public void Cut_short_tunnel_headers_are_not_matched_and_cut_short_inner_packets_follow_the_inner_rules()
    {
        byte[] vxlan = InnerEthernetTcp(Outer4().Udp(40000, 4789).Vxlan(1)).Build();
        byte[] cutVxlan = Outer4().Udp(40000, 4789).Payload(new byte[] { 0x08, 0, 0, 0, 0, 0, 1 }).Build();
        Assert.Equal(TunnelTypes.None, Matched(cutVxlan, TunnelTypes.All));

        byte[] cutGre = Outer4().Payload(new byte[] { 0x20, 0, 0x08, 0, 0, 0 }, 47).Build();
        Assert.Equal(OuterIPv4, Hash(cutGre, TunnelTypes.All));

        int innerIp = 14 + 20 + 8 + 8 + 14;
        byte[] cutInnerIp = vxlan[..(innerIp + 19)];
        Assert.Equal(HashResult.None, Hash(cutInnerIp, TunnelTypes.Vxlan));

        byte[] cutInnerTcp = vxlan[..(innerIp + 20 + 19)];
        Assert.Equal(new HashResult(Tuple(InnerA, InnerB), HashReport.IPv4), Hash(cutInnerTcp, TunnelTypes.Vxlan));
    }

    // The inner packet lies inside the outer one: bytes past the outer IP total length are padding, never inner headers.
    [Fact]
    public void The_inner_packet_ends_where_the_outer_packet_ends()
    {
        byte[] frame = InnerTcp(Outer4().Gre()).Build();
        byte[] padded = [.. frame, .. new byte[32]];
        Assert.Equal(Inner, Hash(padded, TunnelTypes.Gre2784));

        // Shorten the outer total length by 4 bytes: the inner TCP header no longer lies inside the outer packet.
        int total = (frame[16] << 8) | frame[17];
        padded[16] = (byte)((total - 4) >> 8);
        padded[17] = (byte)(total - 4);
        Assert.Equal(new HashResult(Tuple(InnerA, InnerB), HashReport.IPv4), Hash(padded, TunnelTypes.Gre2784));
    }

    // An outer fragment carries no tunnel: later fragments have no tunnel header, and the first must hash as they do
    // (the fragment rule: addresses only, the first fragment too).
    [Fact]
    public void Outer_fragments_are_never_matched()
    {
        byte[] first = new FrameBuilder().Ethernet().IPv4(OuterA, OuterB, moreFragments: true).Udp(1, 4789).Vxlan(1).Ethernet().IPv4(InnerA, InnerB).Tcp(1000, 2000).Build();
        Assert.Equal(OuterIPv4, Hash(first, TunnelTypes.All));
    }

    // IPv6 extension headers before the tunnel are walked as for any packet; the tunnel follows the chain.
    [Fact]
    public void Outer_ipv6_extension_headers_are_walked_to_the_tunnel()
    {
        byte[] frame = InnerEthernetTcp(Outer6().HopByHop().DestinationOptions().Udp(1, 4789).Vxlan(1)).Build();
        Assert.Equal(Inner, Hash(frame, TunnelTypes.Vxlan));
    }

    // "only a single level of encapsulation is currently supported": a tunnel inside the inner packet is not followed.
    [Fact]
    public void Only_one_level_of_encapsulation_is_followed()
    {
        byte[] frame = Outer4().Udp(40000, 4789).Vxlan(1).Ethernet().IPv4(InnerA, InnerB).Udp(50000, 4789).Vxlan(2)
            .Ethernet().IPv4("192.0.2.1", "192.0.2.2").Tcp(1, 2).Build();
        Assert.Equal(new HashResult(Tuple(InnerA, InnerB, 50000, 4789), HashReport.UdpV4), Hash(frame, TunnelTypes.Vxlan));
    }

    // The inner Ethernet frame is read as any frame: up to 8 VLAN/QinQ tags are skipped (RFC 7348 section 6.1 lets a
    // decapsulating VTEP drop tagged inner frames, but a hashing device is no VTEP). Inner IPv6 extension headers
    // are walked and the _EX types apply to the inner packet (Home Address option, RFC 6275 section 6.3).
    [Fact]
    public void Inner_tags_and_inner_extension_headers_follow_the_ordinary_rules()
    {
        byte[] tagged = InnerTcp(Outer4().Udp(1, 4789).Vxlan(1).Ethernet().Vlan(10, 0x88A8).Vlan(20)).Build();
        Assert.Equal(Inner, Hash(tagged, TunnelTypes.Vxlan));

        byte[] mobile = Outer4().Udp(1, 6081).Geneve(1).Ethernet().IPv6(Inner6A, Inner6B).DestinationOptions("fd00::99").Tcp(1, 2).Build();
        Assert.Equal(new HashResult(Tuple("fd00::99", Inner6B, 1, 2), HashReport.TcpV6Ex), Hash(mobile, TunnelTypes.Geneve));
    }

    // A TUN device's frames start at the outer IP header; the same rules apply.
    [Fact]
    public void Tun_frames_are_matched_from_their_ip_header()
    {
        byte[] packet = InnerTcp(new FrameBuilder().IPv4(OuterA, OuterB).Gre(key: 1)).Build();
        Assert.Equal(Inner, Hash(packet, TunnelTypes.Gre2890, kind: FrameKind.IP));
    }

    // The symmetric modes apply to the tuple that is hashed, the inner one.
    [Fact]
    public void Symmetric_modes_apply_to_the_inner_tuple()
    {
        byte[] there = InnerTcp(Outer4().Gre()).Build();
        byte[] back = Outer4().Gre().IPv4(InnerB, InnerA).Tcp(2000, 1000).Build();
        var hasher = new PacketHasher(Key, HashTypes.All, HashProfile.VirtioSpec, SymmetricMode.SortedTuple, TunnelTypes.Gre2784);
        Assert.Equal(hasher.Hash(there, FrameKind.Ethernet), hasher.Hash(back, FrameKind.Ethernet));
    }

    // enabled_tunnel_types is validated against the supported mask, and errors name the bits: the linux-tun profile
    // supports none (the series kernel offers no VIRTIO_NET_F_HASH_TUNNEL and descends into tunnels by its own rules).
    [Fact]
    public void Tunnel_types_are_validated_against_the_profile_and_errors_name_the_bits()
    {
        var unknown = Assert.Throws<ConfigurationException>(() =>
            RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, [0], tunnelTypes: (TunnelTypes)0x210));
        Assert.Equal("enabled_tunnel_types", unknown.Field);
        Assert.Equal(ConfigurationRule.UnknownTunnelTypes, unknown.Rule);
        Assert.Contains("bit 9", unknown.Detail, StringComparison.Ordinal);

        var linux = Assert.Throws<ConfigurationException>(() =>
            RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, [0], profile: HashProfile.LinuxTun, tunnelTypes: TunnelTypes.Vxlan | TunnelTypes.Ipip));
        Assert.Equal(ConfigurationRule.UnsupportedTunnelTypes, linux.Rule);
        Assert.Contains("VXLAN (bit 4), IPIP (bit 7)", linux.Detail, StringComparison.Ordinal);
        Assert.Contains("linux-tun", linux.Detail, StringComparison.Ordinal);

        Assert.Throws<ConfigurationException>(() => RssConfiguration.RoundRobin(2).WithTunnels(TunnelTypes.Gre2784).WithProfile(HashProfile.LinuxTun));
        Assert.Throws<ConfigurationException>(() => new PacketHasher(Key, HashTypes.All, HashProfile.LinuxTun, SymmetricMode.None, TunnelTypes.Geneve));
        Assert.Throws<ConfigurationException>(() => PacketDissector.Dissect([], FrameKind.Ethernet, HashProfile.LinuxTun, TunnelTypes.Nvgre));
    }

    // Port 0 is reserved (RFC 768 leaves it unused as a destination), and a port shared by two tunnels would make a
    // datagram name both.
    [Fact]
    public void Ports_must_be_non_zero_and_distinct()
    {
        var zero = Assert.Throws<ConfigurationException>(() => RssConfiguration.RoundRobin(2).WithTunnels(TunnelTypes.Vxlan, new UdpTunnelPorts(Geneve: 0)));
        Assert.Equal("udp_tunnel_ports", zero.Field);
        Assert.Equal(ConfigurationRule.UnusableTunnelPorts, zero.Rule);
        Assert.Contains("GENEVE", zero.Detail, StringComparison.Ordinal);
        var shared = Assert.Throws<ConfigurationException>(() => RssConfiguration.RoundRobin(2).WithTunnels(TunnelTypes.Vxlan, new UdpTunnelPorts(Geneve: 4789)));
        Assert.Contains("VXLAN and GENEVE both use port 4789", shared.Detail, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => new PacketHasher(Key, HashTypes.All, HashProfile.VirtioSpec, SymmetricMode.None, TunnelTypes.Vxlan, new UdpTunnelPorts(GreUdp: 4790)));
    }

    // The configuration keeps its tunnels through the other With* copies.
    [Fact]
    public void Copies_keep_the_tunnel_settings()
    {
        var ports = new UdpTunnelPorts(Vxlan: 8472);
        RssConfiguration configuration = RssConfiguration.RoundRobin(4).WithTunnels(TunnelTypes.All, ports).WithTypes(HashTypes.AllNonEx).WithSymmetric(SymmetricMode.Xor);
        Assert.Equal(TunnelTypes.All, configuration.TunnelTypes);
        Assert.Equal(ports, configuration.TunnelPorts);
        Assert.Equal(TunnelTypes.All, new RssSteering(configuration).Hasher.TunnelTypes);
    }
}
