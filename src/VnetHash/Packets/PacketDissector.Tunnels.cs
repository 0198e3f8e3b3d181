using System.Buffers.Binary;
using VnetHash.Hashing;

namespace VnetHash.Packets;

public static partial class PacketDissector
{
    private const int UdpTunnelHeaderLength = 8;
    private const int GreMinimumHeaderLength = 4;

    // What must be zero for a GRE header to be RFC 2784/2890's: the RFC 1701 routing and strict-source-route bits,
    // the top bit of its recursion count (RFC 2784 makes a receiver discard a packet with any of bits 1 to 5 set),
    // and a version other than 0.
    private const ushort GreNotRfc2784 = 0x4000 | 0x0800 | 0x0400 | 0x0007;

    private const byte VxlanInstanceFlag = 0x08;
    private const byte VxlanGpeNextProtocolFlag = 0x04;
    private const byte VxlanGpeIPv4 = 1;
    private const byte VxlanGpeIPv6 = 2;
    private const byte VxlanGpeEthernet = 3;

    /// <summary>
    /// Inner-header hashing (virtio spec "Inner Header Hash", one level of encapsulation): when the outer header
    /// matches an enabled type, the inner packet is dissected under the ordinary rules, inside the outer packet's
    /// bounds; otherwise the outer result stands. Which frames match which type is decided in docs/design.md.
    /// </summary>
    private static PacketInfo SpecTunnel(ReadOnlySpan<byte> frame, in PacketInfo outer, int transport, int end, TunnelTypes enabled, UdpTunnelPorts ports)
    {
        // A fragment carries no tunnel: later fragments have no tunnel header, and the first must hash as they do.
        if (outer.Network == NetworkProtocol.None || outer.IsFragment || transport < 0)
        {
            return outer;
        }

        ReadOnlySpan<byte> packet = frame[..end];
        TunnelTypes matched;
        int inner;
        ushort innerType;
        switch (outer.Protocol)
        {
            case IPProtocol.IPIP when outer.Network == NetworkProtocol.IPv4:
                // RFC 2003 is IPv4 in IPv4 only; 6in4, 4in6 and 6in6 are other RFCs' tunnels.
                matched = TunnelTypes.Ipip;
                inner = transport;
                innerType = EtherType.IPv4;
                break;
            case IPProtocol.Gre:
                matched = MatchGre(packet, transport, outer.Network == NetworkProtocol.IPv6, out inner, out innerType);
                break;
            case IPProtocol.Udp when outer.Transport == TransportProtocol.Udp:
                matched = MatchUdpTunnel(packet, transport, ports, out inner, out innerType);
                break;
            default:
                return outer;
        }

        if ((matched & enabled) == 0)
        {
            return outer;
        }

        PacketInfo info = SpecInner(packet, inner, innerType);
        info.Tunnel = matched & enabled;
        return info;
    }

    /// <summary>The inner packet: an Ethernet frame (with tags, as any frame) or an IP packet of the announced type.</summary>
    private static PacketInfo SpecInner(ReadOnlySpan<byte> packet, int inner, ushort innerType)
    {
        if (innerType == EtherType.TransparentEthernetBridging && !TrySkipEthernet(packet, inner, out inner, out innerType))
        {
            return PacketInfo.NotIP;
        }

        return SpecNetwork(packet, inner, innerType, out _, out _);
    }

    /// <summary>
    /// GRE directly in IP. Over IPv4 a header without Key and Sequence Number is RFC 2784's, with either RFC 2890's;
    /// GRE with IPv6 as delivery or payload is RFC 7676's; a key with neither checksum nor sequence number carrying
    /// Ethernet is also NVGRE (RFC 7637 section 3.2). A frame may match several types.
    /// </summary>
    private static TunnelTypes MatchGre(ReadOnlySpan<byte> packet, int at, bool ipv6, out int inner, out ushort innerType)
    {
        if (!TryReadGre(packet, at, out ushort flags, out inner, out innerType))
        {
            return TunnelTypes.None;
        }

        TunnelTypes matched = ipv6 ? TunnelTypes.Gre7676
            : (flags & (GreKey | GreSequence)) != 0 ? TunnelTypes.Gre2890
            : TunnelTypes.Gre2784;
        if (innerType == EtherType.IPv6)
        {
            matched |= TunnelTypes.Gre7676;
        }

        if ((flags & (GreChecksum | GreKey | GreSequence)) == GreKey && innerType == EtherType.TransparentEthernetBridging)
        {
            matched |= TunnelTypes.Nvgre;
        }

        return matched;
    }

    /// <summary>A GRE header of RFC 2784/2890 whole inside the packet: its flags, payload offset and protocol type.</summary>
    private static bool TryReadGre(ReadOnlySpan<byte> packet, int at, out ushort flags, out int payload, out ushort protocol)
    {
        flags = 0;
        payload = 0;
        protocol = 0;
        if (packet.Length - at < GreMinimumHeaderLength)
        {
            return false;
        }

        flags = BinaryPrimitives.ReadUInt16BigEndian(packet[at..]);
        int length = GreMinimumHeaderLength + ((flags & GreChecksum) != 0 ? 4 : 0)
            + ((flags & GreKey) != 0 ? 4 : 0) + ((flags & GreSequence) != 0 ? 4 : 0);
        if ((flags & GreNotRfc2784) != 0 || packet.Length - at < length)
        {
            return false;
        }

        protocol = BinaryPrimitives.ReadUInt16BigEndian(packet[(at + 2)..]);
        payload = at + length;
        return true;
    }

    /// <summary>
    /// The UDP encapsulation types (VXLAN, VXLAN-GPE, GENEVE, GRE-in-UDP) that the UDP datagram whose header starts at
    /// <paramref name="udpOffset"/> in <paramref name="packet"/> matches by its destination port and the header after
    /// it, as dissection matches them (virtio spec "Inner Header Hash"; the rules are in docs/design.md), or
    /// <see cref="TunnelTypes.None"/>. Dissection bounds the packet by the IP packet's length; a packet that ends
    /// later (at the frame's end, padding included) can only match more, so <see cref="TunnelTypes.None"/> there means
    /// none for the IP packet too: a cheap test before a dissection that looks for tunnels.
    /// </summary>
    public static TunnelTypes MatchUdpTunnel(ReadOnlySpan<byte> packet, int udpOffset, UdpTunnelPorts ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return udpOffset < 0 || packet.Length - udpOffset < UdpHeaderLength ? TunnelTypes.None : MatchUdpTunnel(packet, udpOffset, ports, out _, out _);
    }

    /// <summary>
    /// A UDP tunnel, by destination port. Its header must be whole and valid: VXLAN's I flag (RFC 7348 section 5);
    /// VXLAN-GPE's version 0 with the I and P flags (draft-ietf-nvo3-vxlan-gpe-12 section 3.2); GENEVE's version 0
    /// with its options inside the packet (RFC 8926 section 3.4); GRE-in-UDP's GRE header (RFC 8086 section 3).
    /// </summary>
    private static TunnelTypes MatchUdpTunnel(ReadOnlySpan<byte> packet, int udp, UdpTunnelPorts ports, out int inner, out ushort innerType)
    {
        inner = 0;
        innerType = 0;
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(packet[(udp + 2)..]);
        int at = udp + UdpHeaderLength;
        if (port == ports.GreUdp)
        {
            return TryReadGre(packet, at, out _, out inner, out innerType) ? TunnelTypes.GreUdp : TunnelTypes.None;
        }

        if (packet.Length - at < UdpTunnelHeaderLength || (port != ports.Vxlan && port != ports.VxlanGpe && port != ports.Geneve))
        {
            return TunnelTypes.None;
        }

        byte first = packet[at];
        inner = at + UdpTunnelHeaderLength;
        if (port == ports.Vxlan)
        {
            innerType = EtherType.TransparentEthernetBridging;
            return (first & VxlanInstanceFlag) != 0 ? TunnelTypes.Vxlan : TunnelTypes.None;
        }

        if (port == ports.VxlanGpe)
        {
            // Next protocols other than IPv4, IPv6 and Ethernet (NSH, MPLS, ...) leave an inner packet that is not IP.
            innerType = packet[at + 3] switch
            {
                VxlanGpeIPv4 => EtherType.IPv4,
                VxlanGpeIPv6 => EtherType.IPv6,
                VxlanGpeEthernet => EtherType.TransparentEthernetBridging,
                _ => 0,
            };
            bool valid = (first & 0x30) == 0 && (first & VxlanInstanceFlag) != 0 && (first & VxlanGpeNextProtocolFlag) != 0;
            return valid ? TunnelTypes.VxlanGpe : TunnelTypes.None;
        }

        // GENEVE: options are skipped by their length whatever they say, critical or not.
        inner += (first & 0x3F) * 4;
        innerType = BinaryPrimitives.ReadUInt16BigEndian(packet[(at + 2)..]);
        return first >> 6 == 0 && inner <= packet.Length ? TunnelTypes.Geneve : TunnelTypes.None;
    }
}
