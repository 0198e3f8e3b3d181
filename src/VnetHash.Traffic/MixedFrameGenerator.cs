using System.Buffers.Binary;
using System.Net;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Traffic;

/// <summary>
/// Produces reproducible random frames that exercise every hash rule: IPv4 and IPv6, TCP, UDP and other
/// transports, fragments, VLAN and QinQ tags, IPv6 extension headers (Hop-by-Hop, Destination Options with and
/// without a Home Address, routing types 0 and 2, Fragment, AH, Mobility), and, on request, what only the
/// kernel's dissector treats specially (tunnels, PPPoE, cut-short transports), the virtio encapsulation types with
/// their near misses, damaged frames and chains past the dissector's bounds. Agreement tests and the tool's generator
/// draw from it.
/// </summary>
/// <remarks>An option that is off draws no random numbers, so options added later leave the frames of a seed as they were.</remarks>
public sealed class MixedFrameGenerator
{
    private readonly Random _random;

    /// <summary>Creates a generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public MixedFrameGenerator(int seed) => _random = new Random(seed);

    /// <summary>Whether to add VLAN and QinQ tags to some frames.</summary>
    public bool Tags { get; init; } = true;

    /// <summary>Whether to add IPIP, 6in4, 4in6, 6in6 and GRE tunnels, PPPoE sessions and cut-short transports.</summary>
    public bool KernelDivergences { get; init; }

    /// <summary>Whether to add frames that are not IP at all (ARP, and an unknown EtherType).</summary>
    public bool NonIP { get; init; } = true;

    /// <summary>
    /// Whether to damage some frames, for the bounds rules: cut the frame short, overwrite one byte, or cut the TCP
    /// or UDP header short.
    /// </summary>
    public bool Damaged { get; init; }

    /// <summary>
    /// Whether some tag chains and IPv6 extension-header chains run past the dissector's bounds
    /// (<see cref="PacketDissector.MaxVlanTags"/>, <see cref="PacketDissector.MaxExtensionHeaders"/>) and some
    /// IPv4 headers carry up to 40 bytes of options.
    /// </summary>
    public bool BeyondBounds { get; init; }

    /// <summary>
    /// Whether a quarter of the frames are tunnels of the virtio encapsulation types (<see cref="NextTunnel"/>).
    /// </summary>
    public bool VirtioTunnels { get; init; }

    /// <summary>The UDP destination ports <see cref="NextTunnel"/> uses for the UDP tunnels, besides a few others.</summary>
    public UdpTunnelPorts TunnelPorts { get; init; } = UdpTunnelPorts.Iana;

    /// <summary>The next Ethernet frame.</summary>
    public byte[] Next()
    {
        byte[] frame = VirtioTunnels && _random.Next(4) == 0 ? NextTunnelWhole() : NextWhole();
        return Damaged ? Damage(frame) : frame;
    }

    /// <summary>
    /// The next frame of one of the nine virtio encapsulation types (IPIP, GRE with any of checksum, key and sequence
    /// number, NVGRE, GRE-in-UDP, VXLAN, VXLAN-GPE, GENEVE with options) or a near miss (6in4 and 4in6, GRE with routing
    /// or a version, other UDP ports, flags and versions that do not match, outer fragments), over IPv4 or IPv6 with
    /// tags, options and extension headers, carrying an IP packet, a tagged Ethernet frame or something that is not IP;
    /// damaged like <see cref="Next"/> when <see cref="Damaged"/> is set.
    /// </summary>
    public byte[] NextTunnel()
    {
        byte[] frame = NextTunnelWhole();
        return Damaged ? Damage(frame) : frame;
    }

    /// <summary>
    /// The next IP packet wrapped in up to nine tunnel layers (IPIP, 6in4, 4in6, 6in6, GRE with any of checksum,
    /// key and sequence, GRE with routing or a version, Ethernet over GRE with tags or a PPPoE session inside),
    /// in an Ethernet frame with random tags; damaged like <see cref="Next"/> when <see cref="Damaged"/> is set.
    /// </summary>
    public byte[] NextNested()
    {
        var inner = new FrameBuilder();
        bool ipv6 = AddIP(inner);
        AddTransport(inner);
        byte[] packet = inner.Build();
        int layers = _random.Next(10);
        for (int i = 0; i < layers; i++)
        {
            packet = Encapsulate(packet, ref ipv6);
        }

        byte[] frame = [.. LinkHeader(ipv6 ? EtherType.IPv6 : EtherType.IPv4), .. packet];
        return Damaged ? Damage(frame) : frame;
    }

    private byte[] NextWhole()
    {
        int pick = _random.Next(100);
        if (NonIP && pick < 4)
        {
            return new FrameBuilder().Ethernet(etherType: pick < 2 ? (ushort)0x0806 : (ushort)0x9000).Payload(Bytes(28)).Build();
        }

        if (KernelDivergences && pick < 16)
        {
            return Divergence();
        }

        var builder = new FrameBuilder().Ethernet();
        AddTags(builder);
        AddIP(builder);
        AddTransport(builder);
        return builder.Build();
    }

    private bool AddIP(FrameBuilder builder)
    {
        if (_random.Next(2) == 0)
        {
            AddIPv4(builder);
            return false;
        }

        AddIPv6(builder);
        return true;
    }

    private byte[] Damage(byte[] frame)
    {
        switch (_random.Next(8))
        {
            case 0 when frame.Length > 1:
                return frame[.._random.Next(1, frame.Length)];
            case 1:
                frame[_random.Next(frame.Length)] = (byte)_random.Next(256);
                return frame;
            default:
                return frame;
        }
    }

    private void AddTags(FrameBuilder builder)
    {
        if (!Tags)
        {
            return;
        }

        switch (_random.Next(6))
        {
            case 0:
                builder.Vlan((ushort)_random.Next(1, 4095));
                break;
            case 1:
                builder.Vlan((ushort)_random.Next(1, 4095), 0x88A8).Vlan((ushort)_random.Next(1, 4095));
                break;
            case 2 when BeyondBounds:
                for (int i = _random.Next(3, PacketDissector.MaxVlanTags + 3); i > 0; i--)
                {
                    builder.Vlan((ushort)_random.Next(4096), _random.Next(2) == 0 ? EtherType.Vlan : EtherType.QinQ);
                }

                break;
        }
    }

    private void AddIPv4(FrameBuilder builder)
    {
        int shape = _random.Next(10);
        builder.IPv4(
            IPv4Address(),
            IPv4Address(),
            moreFragments: shape == 0,
            fragmentOffset: shape == 1 ? _random.Next(1, 8000) : 0,
            dontFragment: shape == 2,
            options: shape == 3 ? [0x94, 4, 0, 0] : shape == 4 && BeyondBounds ? new byte[4 * _random.Next(1, 11)] : null);
    }

    private void AddIPv6(FrameBuilder builder)
    {
        builder.IPv6(IPv6Address(), IPv6Address());
        int headers = _random.Next(3) == 0 ? _random.Next(1, 4) : 0;
        if (BeyondBounds && headers > 0 && _random.Next(8) == 0)
        {
            headers = _random.Next(PacketDissector.MaxExtensionHeaders - 6, PacketDissector.MaxExtensionHeaders + 4);
        }

        for (int i = 0; i < headers; i++)
        {
            switch (_random.Next(8))
            {
                case 0:
                    builder.HopByHop();
                    break;
                case 1:
                    builder.DestinationOptions();
                    break;
                case 2:
                    builder.DestinationOptions(IPv6Address());
                    break;
                case 3:
                    builder.Routing(IPv6Address());
                    break;
                case 4:
                    builder.Routing(IPv6Address(), routingType: 0);
                    break;
                case 5:
                    builder.Fragment(offset: _random.Next(2) * _random.Next(1, 100), more: _random.Next(2) == 0);
                    break;
                case 6:
                    builder.AuthenticationHeader();
                    break;
                default:
                    builder.Mobility();
                    break;
            }
        }
    }

    private void AddTransport(FrameBuilder builder)
    {
        switch (_random.Next(10))
        {
            case < 4:
                builder.Tcp(Port(), Port(), TransportHeaderLength(20)).Payload(Bytes(_random.Next(0, 16)));
                break;
            case < 8:
                builder.Udp(Port(), Port(), TransportHeaderLength(8)).Payload(Bytes(_random.Next(0, 16)));
                break;
            case 8:
                builder.Payload(Bytes(_random.Next(4, 24)), 1);
                break;
            default:
                builder.Payload(Bytes(_random.Next(0, 24)), 253);
                break;
        }
    }

    private byte[] Divergence()
    {
        var builder = new FrameBuilder().Ethernet();
        switch (_random.Next(7))
        {
            case 0:
                AddIPv4(builder.IPv4(IPv4Address(), IPv4Address()));
                break;
            case 1:
                builder.IPv4(IPv4Address(), IPv4Address()).IPv6(IPv6Address(), IPv6Address());
                break;
            case 2:
                builder.IPv6(IPv6Address(), IPv6Address()).IPv4(IPv4Address(), IPv4Address());
                break;
            case 3:
                builder.IPv6(IPv6Address(), IPv6Address()).IPv6(IPv6Address(), IPv6Address());
                break;
            case 4:
                byte[] inner = new FrameBuilder().IPv4(IPv4Address(), IPv4Address()).Udp(Port(), Port()).Build();
                bool keyed = _random.Next(2) == 0;
                byte[] gre = keyed ? [0x20, 0, 0x08, 0, .. Bytes(4), .. inner] : [0, 0, 0x08, 0, .. inner];
                return builder.IPv4(IPv4Address(), IPv4Address()).Payload(gre, 47).Build();
            case 5:
                byte[] ip = new FrameBuilder().IPv4(IPv4Address(), IPv4Address()).Tcp(Port(), Port()).Build();
                byte[] session = [0x11, 0, 0, 1, (byte)((ip.Length + 2) >> 8), (byte)(ip.Length + 2), 0, 0x21, .. ip];
                return new FrameBuilder().Ethernet(etherType: 0x8864).Payload(session).Build();
            default:
                return builder.IPv4(IPv4Address(), IPv4Address()).Tcp(Port(), Port(), headerLength: _random.Next(0, 20)).Build();
        }

        AddTransport(builder);
        return builder.Build();
    }

    // A full header, or when damaging, now and then one cut short.
    private int TransportHeaderLength(int full) => Damaged && _random.Next(8) == 0 ? _random.Next(0, full) : full;

    /// <summary>An Ethernet header with random 802.1Q/802.1ad tags, the last type naming <paramref name="etherType"/>.</summary>
    private byte[] LinkHeader(ushort etherType)
    {
        // Written by hand: the builder names a link layer's type after the layer it carries, and here that is raw bytes.
        int tags = _random.Next(3) == 0 ? _random.Next(1, 4) : 0;
        byte[] header = new FrameBuilder().Ethernet().Build();
        Array.Resize(ref header, header.Length + (4 * tags));
        for (int i = 0; i < tags; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12 + (4 * i)), _random.Next(2) == 0 ? EtherType.Vlan : EtherType.QinQ);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14 + (4 * i)), (ushort)_random.Next(4096));
        }

        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(header.Length - 2), etherType);
        return header;
    }

    /// <summary>Puts an IP packet into an outer IP packet, directly or through GRE; ipv6 is the packet's version in and out.</summary>
    private byte[] Encapsulate(byte[] packet, ref bool ipv6)
    {
        ushort innerType = ipv6 ? EtherType.IPv6 : EtherType.IPv4;
        byte[] payload;
        int protocol;
        int kind = _random.Next(4);
        if (kind == 0)
        {
            payload = packet;
            protocol = ipv6 ? IPProtocol.IPv6InIP : IPProtocol.IPIP;
        }
        else
        {
            ushort flags = (ushort)((_random.Next(2) == 0 ? 0x8000 : 0) | (_random.Next(2) == 0 ? 0x2000 : 0) | (_random.Next(2) == 0 ? 0x1000 : 0));
            if (_random.Next(10) == 0)
            {
                // Routing present or a version other than 0: the dissector stops at this header.
                flags |= _random.Next(2) == 0 ? (ushort)0x4000 : (ushort)1;
            }

            int optional = ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
            byte[] link = [];
            ushort greType = innerType;
            if (kind == 3)
            {
                // Ethernet over GRE, with tags or a PPPoE session inside.
                greType = EtherType.TransparentEthernetBridging;
                if (_random.Next(4) == 0)
                {
                    byte[] session = [0x11, 0, 0, 1, 0, 0, 0, ipv6 ? (byte)0x57 : (byte)0x21];
                    link = [.. LinkHeader(EtherType.PppoeSession), .. session];
                }
                else
                {
                    link = LinkHeader(innerType);
                }
            }

            byte[] gre = new byte[4 + optional];
            BinaryPrimitives.WriteUInt16BigEndian(gre, flags);
            BinaryPrimitives.WriteUInt16BigEndian(gre.AsSpan(2), greType);
            _random.NextBytes(gre.AsSpan(4));
            payload = [.. gre, .. link, .. packet];
            protocol = IPProtocol.Gre;
        }

        var outer = new FrameBuilder();
        ipv6 = _random.Next(2) == 0;
        if (ipv6)
        {
            outer.IPv6(IPv6Address(), IPv6Address());
            for (int i = _random.Next(3) == 0 ? _random.Next(1, 4) : 0; i > 0; i--)
            {
                if (_random.Next(2) == 0)
                {
                    outer.HopByHop();
                }
                else
                {
                    outer.DestinationOptions();
                }
            }
        }
        else
        {
            outer.IPv4(IPv4Address(), IPv4Address(), options: _random.Next(5) == 0 ? new byte[4 * _random.Next(1, 4)] : null);
        }

        return outer.Payload(payload, protocol).Build();
    }

    private byte[] NextTunnelWhole()
    {
        (byte[] inner, ushort innerType) = TunnelPayload();
        var outer = new FrameBuilder().Ethernet();
        AddTags(outer);
        bool ipv6 = _random.Next(2) == 0;
        if (ipv6)
        {
            outer.IPv6(IPv6Address(), IPv6Address());
            if (_random.Next(4) == 0)
            {
                outer.HopByHop();
            }

            if (_random.Next(16) == 0)
            {
                outer.Fragment(more: true);
            }
        }
        else
        {
            outer.IPv4(IPv4Address(), IPv4Address(), moreFragments: _random.Next(16) == 0, options: _random.Next(5) == 0 ? new byte[4 * _random.Next(1, 4)] : null);
        }

        switch (_random.Next(6))
        {
            case 0:
                // IPIP and its relatives: the protocol usually names the inner version, now and then it lies.
                int protocol = _random.Next(6) == 0 ? (_random.Next(2) == 0 ? IPProtocol.IPIP : IPProtocol.IPv6InIP)
                    : innerType == EtherType.IPv6 ? IPProtocol.IPv6InIP : IPProtocol.IPIP;
                return outer.Payload(innerType == EtherType.TransparentEthernetBridging ? inner[14..] : inner, protocol).Build();
            case 1:
            case 2:
                return outer.Payload([.. GreHeader(innerType), .. inner], IPProtocol.Gre).Build();
            default:
                (ushort port, byte[] header) = UdpTunnelHeader(innerType);
                return outer.Udp(Port(), port).Payload([.. header, .. inner], IPProtocol.Udp).Build();
        }
    }

    /// <summary>What a tunnel carries: an Ethernet frame (tags and all), an IP packet, or something that is not IP.</summary>
    private (byte[] Bytes, ushort Type) TunnelPayload()
    {
        int kind = _random.Next(10);
        if (kind == 0)
        {
            return (new FrameBuilder().Ethernet(etherType: 0x0806).Payload(Bytes(28)).Build(), EtherType.TransparentEthernetBridging);
        }

        var builder = new FrameBuilder();
        if (kind < 5)
        {
            builder.Ethernet();
            AddTags(builder);
        }

        bool ipv6 = AddIP(builder);
        AddTransport(builder);
        return (builder.Build(), kind < 5 ? EtherType.TransparentEthernetBridging : ipv6 ? EtherType.IPv6 : EtherType.IPv4);
    }

    /// <summary>A GRE header for the payload type: any of checksum, key and sequence number, now and then bits other RFCs define.</summary>
    private byte[] GreHeader(ushort payloadType)
    {
        int flags = (_random.Next(3) == 0 ? 0x8000 : 0) | (_random.Next(2) == 0 ? 0x2000 : 0) | (_random.Next(3) == 0 ? 0x1000 : 0);
        if (_random.Next(8) == 0)
        {
            flags |= new[] { 0x4000, 0x0800, 0x0400, 0x0001, 0x0200, 0x0008 }[_random.Next(6)];
        }

        int length = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
        byte[] header = Bytes(length);
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), _random.Next(12) == 0 ? (ushort)0x8847 : payloadType);
        return header;
    }

    /// <summary>A UDP tunnel's port and header: VXLAN, VXLAN-GPE, GENEVE or GRE-in-UDP, now and then with a flag, version or port that does not match.</summary>
    private (ushort Port, byte[] Header) UdpTunnelHeader(ushort payloadType)
    {
        bool odd = _random.Next(6) == 0;
        switch (_random.Next(5))
        {
            case 0:
                byte[] vxlan = Bytes(8);
                vxlan[0] = odd ? (byte)_random.Next(256) : (byte)(0x08 | (_random.Next(2) == 0 ? 0 : 0x80));
                return (TunnelPorts.Vxlan, vxlan);
            case 1:
                byte[] gpe = Bytes(8);
                gpe[0] = odd ? (byte)_random.Next(256) : (byte)0x0C;
                gpe[3] = (byte)(_random.Next(8) == 0 ? _random.Next(256) : payloadType switch
                {
                    EtherType.IPv4 => 1,
                    EtherType.IPv6 => 2,
                    _ => 3,
                });
                return (TunnelPorts.VxlanGpe, gpe);
            case 2:
                int options = _random.Next(3) == 0 ? _random.Next(1, 64) : 0;
                byte[] geneve = Bytes(8 + (4 * options));
                geneve[0] = (byte)((odd ? _random.Next(1, 4) << 6 : 0) | options);
                if (_random.Next(4) == 0)
                {
                    // Options that run past the packet: a length claiming more than follows.
                    geneve = geneve[..(8 + (2 * options))];
                }

                BinaryPrimitives.WriteUInt16BigEndian(geneve.AsSpan(2), payloadType);
                return (TunnelPorts.Geneve, geneve);
            case 3:
                return (TunnelPorts.GreUdp, GreHeader(payloadType));
            default:
                // Linux's VXLAN port, or any port: a tunnel only if configured so.
                byte[] other = Bytes(8);
                other[0] = 0x08;
                return (_random.Next(2) == 0 ? (ushort)8472 : Port(), other);
        }
    }

    /// <summary>
    /// Frames around the Linux flow dissector's header bound (MAX_FLOW_DISSECT_HDRS), by kind: 12 to 19 IPv6
    /// Destination Options headers, Routing headers, a Hop-by-Hop header then Destination Options, Destination Options
    /// ending in a Fragment header (all before TCP), VLAN/QinQ tags, IPv4 in IPv4 and GRE layers, and the bound met
    /// as the network protocol changes or at a PPPoE session. The series kernel's answers on each are measured.
    /// </summary>
    public static IEnumerable<(string Kind, int Count, byte[] Frame)> HeaderBoundChains()
    {
        for (int n = 12; n <= 19; n++)
        {
            yield return ("destination-options", n, Chain6(n, b => b.DestinationOptions()));
            yield return ("routing", n, Chain6(n, b => b.Routing("2001:db8::99", routingType: 0, segmentsLeft: 0)));
            yield return ("hop-by-hop-first", n, Chain6(n, b => b.DestinationOptions(), first: b => b.HopByHop()));
            yield return ("fragment-last", n, FragmentLast(n));
            yield return ("vlan", n, Tagged(n));
            yield return ("ipip", n, Nested(n, (b, i) => b.IPv4($"10.{i}.0.1", $"10.{i}.0.2")));
            yield return ("gre", n, Nested(n, (b, i) => b.IPv4($"10.{i}.0.1", $"10.{i}.0.2").Gre()));
        }

        // The bound met as the network protocol changes: the dissector's address key is one union, so the pending
        // protocol is reported with what the last IP header left there.
        yield return ("ipv4-pending-over-ipv6", 16, Chain6(15, b => b.DestinationOptions(), last: b => b.IPv4("10.9.0.1", "10.9.0.2").Udp(1, 2)));
        yield return ("ipv6-pending-over-ipv4-over-ipv6", 16, Chain6(14, b => b.DestinationOptions(), last: b => b.IPv4("10.9.0.1", "10.9.0.2").IPv6("fd00::1", "fd00::2").Tcp(1, 2)));
        yield return ("ipv6-pending-over-ipv4", 16, Nested(15, (b, i) => b.IPv4($"10.{i}.0.1", $"10.{i}.0.2"), last: b => b.IPv6("fd00::1", "fd00::2").Tcp(1, 2)));
        yield return ("pppoe-after-14-tags", 15, Pppoe(14));
        yield return ("pppoe-after-15-tags", 16, Pppoe(15));
    }

    /// <summary>
    /// Frames for the corners of the Linux flow dissector besides its bound, by name: GRE versions and PPTP, a PPPoE
    /// protocol field compressed to one byte, MPLS in IP, batman-adv, and GRE keys cut short. The series kernel's
    /// answers on each are measured.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Frame)> DissectorCorners()
    {
        byte[] ipv4Udp = new FrameBuilder().IPv4("172.16.0.1", "172.16.0.2").Udp(53, 5353).Build();
        byte[] ipv6Tcp = new FrameBuilder().IPv6("fd00::1", "fd00::2").Tcp(1, 2).Build();
        FrameBuilder Outer4() => new FrameBuilder().Ethernet().IPv4("192.0.2.1", "192.0.2.2");
        FrameBuilder Outer6() => new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2");
        yield return ("gre-version-1-ipv6-over-ipv4", Outer4().Payload([0, 1, 0x86, 0xDD, .. ipv6Tcp], 47).Build());
        yield return ("gre-version-1-ipv4-over-ipv6", Outer6().Payload([0, 1, 0x08, 0x00, .. ipv4Udp], 47).Build());
        yield return ("gre-version-1-teb", Outer4().Payload([0, 1, 0x65, 0x58, .. ipv4Udp], 47).Build());
        yield return ("gre-version-2", Outer4().Payload([0, 2, 0x86, 0xDD, .. ipv6Tcp], 47).Build());
        yield return ("gre-routing", Outer4().Payload([0x40, 0, 0x86, 0xDD, 0, 0, 0, 0, .. ipv6Tcp], 47).Build());
        yield return ("pptp-ipv4", Outer4().Payload([0x30, 0x81, 0x88, 0x0B, 0, (byte)ipv4Udp.Length, 0, 1, 0, 0, 0, 7, 0, 0, 0, 6, 0xFF, 0x03, 0x00, 0x21, .. ipv4Udp], 47).Build());
        yield return ("pptp-ipv6-no-ack", Outer4().Payload([0x30, 0x01, 0x88, 0x0B, 0, (byte)ipv6Tcp.Length, 0, 1, 0, 0, 0, 7, 0xFF, 0x03, 0x00, 0x57, .. ipv6Tcp], 47).Build());
        yield return ("pptp-without-key", Outer4().Payload([0x10, 0x01, 0x88, 0x0B, 0, 0, 0, 7, 0xFF, 0x03, 0x00, 0x21, .. ipv4Udp], 47).Build());
        yield return ("pptp-other-ppp-protocol", Outer4().Payload([0x30, 0x01, 0x88, 0x0B, 0, 0, 0, 1, 0, 0, 0, 7, 0xFF, 0x03, 0xC0, 0x21, .. ipv4Udp], 47).Build());
        yield return ("gre-key-cut-short", Outer4().Payload([0x20, 0, 0x08, 0x00, 0, 0], 47).Build());
        yield return ("gre-sequence-cut-short", Outer4().Payload([0x10, 0, 0x08, 0x00, 0, 0], 47).Build());
        yield return ("gre-teb-ethernet-cut-short", Outer4().Payload([0, 0, 0x65, 0x58, 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08], 47).Build());
        yield return ("mpls-in-ipv4", Outer4().Payload([0, 0, 0x11, 0x40, .. ipv4Udp], 137).Build());
        yield return ("pppoe-compressed-protocol", new FrameBuilder().Ethernet(etherType: 0x8864).Payload([0x11, 0, 0, 1, 0, (byte)(ipv4Udp.Length + 1), 0x21, .. ipv4Udp]).Build());
        yield return ("pppoe-other-protocol", new FrameBuilder().Ethernet(etherType: 0x8864).Payload([0x11, 0, 0, 1, 0, (byte)(ipv4Udp.Length + 2), 0xC0, 0x21, .. ipv4Udp]).Build());
        yield return ("batman-adv-unicast-ipv4", new FrameBuilder().Ethernet(etherType: 0x4305).Payload([0x40, 15, 50, 1, 2, 0, 0, 0, 0, 9, .. new FrameBuilder().Ethernet().Payload([]).Build()[..12], 0x08, 0x00, .. ipv4Udp]).Build());
        yield return ("batman-adv-other-version", new FrameBuilder().Ethernet(etherType: 0x4305).Payload([0x40, 14, 50, 1, 2, 0, 0, 0, 0, 9, .. new FrameBuilder().Ethernet().Payload([]).Build()[..12], 0x08, 0x00, .. ipv4Udp]).Build());
    }

    private static byte[] Chain6(int count, Func<FrameBuilder, FrameBuilder> header, Func<FrameBuilder, FrameBuilder>? first = null, Func<FrameBuilder, FrameBuilder>? last = null)
    {
        FrameBuilder builder = new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2");
        for (int i = 0; i < count; i++)
        {
            builder = i == 0 && first is not null ? first(builder) : header(builder);
        }

        return (last is null ? builder.Tcp(1000, 2000) : last(builder)).Build();
    }

    /// <summary>Tags, then a PPPoE session carrying IPv4 and TCP.</summary>
    private static byte[] Pppoe(int tags)
    {
        byte[] ip = new FrameBuilder().IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 2000).Build();
        byte[] session = [0x11, 0, 0, 1, (byte)((ip.Length + 2) >> 8), (byte)(ip.Length + 2), 0, 0x21, .. ip];
        FrameBuilder builder = new FrameBuilder().Ethernet();
        for (int i = 0; i < tags; i++)
        {
            builder.Vlan((ushort)(i + 1));
        }

        byte[] head = builder.Payload([]).Build();
        head[^2] = 0x88;
        head[^1] = 0x64;
        return [.. head, .. session];
    }

    private static byte[] FragmentLast(int count)
    {
        FrameBuilder builder = new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2");
        for (int i = 1; i < count; i++)
        {
            builder.DestinationOptions();
        }

        return builder.Fragment().Tcp(1000, 2000).Build();
    }

    private static byte[] Tagged(int count)
    {
        FrameBuilder builder = new FrameBuilder().Ethernet();
        for (int i = 0; i < count; i++)
        {
            builder.Vlan((ushort)(i + 1), i % 2 == 0 ? (ushort)0x88A8 : (ushort)0x8100);
        }

        return builder.IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 2000).Build();
    }

    /// <summary>An outer IPv4 header, then <paramref name="count"/> encapsulations, then IPv4 and UDP (or <paramref name="last"/>).</summary>
    private static byte[] Nested(int count, Func<FrameBuilder, int, FrameBuilder> encapsulation, Func<FrameBuilder, FrameBuilder>? last = null)
    {
        FrameBuilder builder = new FrameBuilder().Ethernet().IPv4("192.0.2.1", "192.0.2.2");
        for (int i = 0; i < count; i++)
        {
            builder = encapsulation(builder, i);
        }

        return (last is null ? builder.IPv4("172.16.0.1", "172.16.0.2").Udp(53, 5353) : last(builder)).Build();
    }

    private string IPv4Address() => new IPAddress(Bytes(4)).ToString();

    private string IPv6Address()
    {
        byte[] bytes = Bytes(16);
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        return new IPAddress(bytes).ToString();
    }

    private ushort Port() => (ushort)_random.Next(1, 65536);

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
