using System.Buffers.Binary;

namespace VnetHash.Packets;

public static partial class PacketDissector
{
    /// <summary>
    /// The Linux flow dissector's bound (MAX_FLOW_DISSECT_HDRS): the most hand-overs from one header to the next it
    /// follows. A hand-over is a tag, a PPPoE session, a tunnel (IPIP, 6in4, 4in6, 6in6, GRE) or an IPv6 extension
    /// header; the IP header a hand-over leads to, and the first header of the frame, are not counted.
    /// </summary>
    internal const int LinuxMaxDissectedHeaders = 15;

    private const ushort PppIPv4 = 0x0021;
    private const ushort PppIPv6 = 0x0057;
    // GRE flag bits (RFC 2784 section 2, RFC 2890 section 2, RFC 2637 section 4.1).
    private const ushort GreChecksum = 0x8000;
    private const ushort GreKey = 0x2000;
    private const ushort GreSequence = 0x1000;
    private const ushort GreRouting = 0x4000;
    private const ushort GreVersion = 0x0007;
    private const ushort GreAcknowledgment = 0x0080;
    private const byte BatmanUnicast = 0x40;
    private const byte BatmanCompatVersion = 15;
    private const int BatmanUnicastLength = 10;

    /// <summary>
    /// The decisions the series kernel takes through the Linux flow dissector (measured frame by frame, see
    /// docs/design.md): tunnels and PPPoE are descended into, the IP version nibble behind an EtherType is not
    /// checked, AH and the Mobility header end the walk, and TCP/UDP count by protocol number alone, with ports
    /// that cannot be read counting as zero. GRE version 1 is PPTP's (RFC 2637), and batman-adv unicast frames
    /// are descended into, as the dissector does.
    /// </summary>
    /// <remarks>
    /// The walk follows the dissector's two steps: a network step for the protocol an EtherType names, and IP
    /// protocol steps for what an IP header carries. After the 15th counted hand-over the walk stops where it is: the
    /// pending network protocol is reported with the addresses of the last IP header read (none: zeros), a pending
    /// IP protocol with the offset it would have started at, as the dissector leaves its keys.
    /// </remarks>
    private static PacketInfo DissectLinuxTun(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        var walk = new LinuxWalk { V4 = -1, V6 = -1 };
        int offset = 0;
        int proto;
        if (kind == FrameKind.IP)
        {
            // tun takes the protocol of an L3 frame from its version nibble.
            proto = frame.IsEmpty ? 0 : (frame[0] >> 4) switch
            {
                4 => EtherType.IPv4,
                6 => EtherType.IPv6,
                _ => 0,
            };
        }
        else
        {
            if (frame.Length < EthernetHeaderLength)
            {
                return PacketInfo.NotIP;
            }

            proto = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
            offset = EthernetHeaderLength;
        }

        int handOvers = 0;
        int ipProto = 0;
        while (true)
        {
            // The network step. An IP header is read and its protocol stepped into; tags and PPPoE hand over to
            // another network step, and that hand-over is counted.
            switch (proto)
            {
                case EtherType.IPv4:
                    if (frame.Length - offset < IPv4MinimumHeaderLength || (frame[offset] & 0x0F) < 5)
                    {
                        return PacketInfo.NotIP;
                    }

                    walk.V4 = offset + 12;
                    walk.V4Last = true;
                    ipProto = frame[offset + 9];
                    walk.Fragment = (BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]) & 0x3FFF) != 0;
                    offset += (frame[offset] & 0x0F) * 4;
                    if (walk.Fragment)
                    {
                        return walk.Finish(proto, ipProto, offset, frame.Length);
                    }

                    break;
                case EtherType.IPv6:
                    if (frame.Length - offset < IPv6HeaderLength)
                    {
                        return PacketInfo.NotIP;
                    }

                    walk.V6 = offset + 8;
                    walk.V4Last = false;
                    ipProto = frame[offset + 6];
                    offset += IPv6HeaderLength;
                    break;
                case EtherType.Vlan or EtherType.QinQ:
                    if (frame.Length - offset < 4)
                    {
                        return PacketInfo.NotIP;
                    }

                    proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                    offset += 4;
                    if (++handOvers > LinuxMaxDissectedHeaders)
                    {
                        return walk.Finish(proto, ipProto, offset, frame.Length);
                    }

                    continue;
                case EtherType.PppoeSession:
                    if (frame.Length - offset < 8)
                    {
                        return PacketInfo.NotIP;
                    }

                    proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]) switch
                    {
                        PppIPv4 => EtherType.IPv4,
                        PppIPv6 => EtherType.IPv6,
                        _ => 0,
                    };
                    offset += 8;
                    if (proto == 0)
                    {
                        return PacketInfo.NotIP;
                    }

                    if (++handOvers > LinuxMaxDissectedHeaders)
                    {
                        return walk.Finish(proto, ipProto, offset, frame.Length);
                    }

                    continue;
                case EtherType.Batman:
                    // A batman-adv unicast packet of the compatible version, then the Ethernet header it carries.
                    if (frame.Length - offset < BatmanUnicastLength + EthernetHeaderLength
                        || frame[offset] != BatmanUnicast || frame[offset + 1] != BatmanCompatVersion)
                    {
                        return PacketInfo.NotIP;
                    }

                    proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + BatmanUnicastLength + 12)..]);
                    offset += BatmanUnicastLength + EthernetHeaderLength;
                    if (++handOvers > LinuxMaxDissectedHeaders)
                    {
                        return walk.Finish(proto, ipProto, offset, frame.Length);
                    }

                    continue;
                default:
                    return PacketInfo.NotIP;
            }

            // The IP protocol steps: extension headers hand over to another IP protocol step, tunnels to a network
            // step, both counted; anything else ends the walk.
            while (true)
            {
                switch (ipProto)
                {
                    case IPProtocol.IPIP:
                        proto = EtherType.IPv4;
                        break;
                    case IPProtocol.IPv6InIP:
                        proto = EtherType.IPv6;
                        break;
                    case IPProtocol.Gre:
                        if (frame.Length - offset < 4)
                        {
                            return PacketInfo.NotIP;
                        }

                        int step = GreStep(frame, offset, ref proto);
                        if (step == 0)
                        {
                            return walk.Finish(proto, ipProto, offset, frame.Length);
                        }

                        if (step < 0)
                        {
                            return PacketInfo.NotIP;
                        }

                        offset += step;
                        break;
                    case IPProtocol.Mpls:
                        // MPLS is no network protocol the hash rules know, at the bound or past it.
                        return PacketInfo.NotIP;
                    case IPProtocol.HopByHop or IPProtocol.Routing or IPProtocol.DestinationOptions when proto == EtherType.IPv6:
                        if (frame.Length - offset < 2)
                        {
                            return PacketInfo.NotIP;
                        }

                        walk.Extensions = true;
                        ipProto = frame[offset];
                        offset += (frame[offset + 1] + 1) * 8;
                        if (++handOvers > LinuxMaxDissectedHeaders)
                        {
                            return walk.Finish(proto, ipProto, offset, frame.Length);
                        }

                        continue;
                    case IPProtocol.Fragment when proto == EtherType.IPv6:
                        if (frame.Length - offset < 8)
                        {
                            return PacketInfo.NotIP;
                        }

                        walk.Extensions = true;
                        walk.Fragment = true;
                        ipProto = frame[offset];
                        return walk.Finish(proto, ipProto, offset + 8, frame.Length);
                    default:
                        return walk.Finish(proto, ipProto, offset, frame.Length);
                }

                // A tunnel hands over to the network step; past the bound the walk ends with its protocol pending.
                if (++handOvers > LinuxMaxDissectedHeaders)
                {
                    return walk.Finish(proto, ipProto, offset, frame.Length);
                }

                break;
            }
        }
    }

    /// <summary>
    /// The dissector's GRE step at <paramref name="offset"/> (4 bytes there): the header's length when it hands over
    /// to <paramref name="proto"/>, 0 when the walk ends here (routing, a version above 1, version 1 that is not
    /// PPTP; version 1 has set <paramref name="proto"/> to its protocol type first), -1 when a field it reads is cut.
    /// </summary>
    private static int GreStep(ReadOnlySpan<byte> frame, int offset, ref int proto)
    {
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        int version = flags & GreVersion;
        if ((flags & GreRouting) != 0 || version > 1)
        {
            return 0;
        }

        int next = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
        proto = next;
        if (version == 1 && (next != EtherType.Ppp || (flags & GreKey) == 0))
        {
            return 0;
        }

        // The key is read; the checksum and sequence number are only stepped over.
        int length = 4 + ((flags & GreChecksum) != 0 ? 4 : 0);
        if ((flags & GreKey) != 0)
        {
            if (frame.Length - offset - length < 4)
            {
                return -1;
            }

            length += 4;
        }

        length += (flags & GreSequence) != 0 ? 4 : 0;
        if (version == 1)
        {
            // PPTP (RFC 2637): an acknowledgment number, then the PPP header whose protocol names the payload.
            length += (flags & GreAcknowledgment) != 0 ? 4 : 0;
            if (frame.Length - offset - length < 4)
            {
                return -1;
            }

            proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + length + 2)..]) switch
            {
                PppIPv4 => EtherType.IPv4,
                PppIPv6 => EtherType.IPv6,
                _ => EtherType.Ppp,
            };
            return length + 4;
        }

        if (next == EtherType.TransparentEthernetBridging)
        {
            if (frame.Length - offset - length < EthernetHeaderLength)
            {
                return -1;
            }

            proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + length + 12)..]);
            length += EthernetHeaderLength;
        }

        return length;
    }

    /// <summary>
    /// What the dissector keeps while it walks: where the last IPv4 and IPv6 addresses were read (their key is one
    /// union: IPv4 addresses overwrite the first 8 bytes of IPv6 ones), whether the packet is a fragment, and
    /// whether an IPv6 extension header was stepped through.
    /// </summary>
    private struct LinuxWalk
    {
        public int V4;
        public int V6;
        public bool V4Last;
        public bool Fragment;
        public bool Extensions;

        /// <summary>
        /// The result for network protocol <paramref name="proto"/> and IP protocol <paramref name="ipProto"/>, the
        /// transport (if any) at <paramref name="offset"/>. The addresses are the union as the walk left it: for IPv4
        /// its first 8 bytes, for IPv6 all 32; a union never written is zeros.
        /// </summary>
        public readonly PacketInfo Finish(int proto, int ipProto, int offset, int frameLength)
        {
            var info = PacketInfo.NotIP;
            if (proto == EtherType.IPv4)
            {
                info.Network = NetworkProtocol.IPv4;
                info.AddressOffset = V4Last ? V4 : V6;
            }
            else if (proto == EtherType.IPv6)
            {
                info.Network = NetworkProtocol.IPv6;
                info.AddressOffset = V4Last ? V4 : V6;
                if (V4Last)
                {
                    // IPv4 addresses over an IPv6 union: 8 bytes of them, then the rest of the older IPv6 addresses.
                    info.AddressTail = V6 < 0 ? PacketInfo.ZeroTail : V6 + 8;
                }
            }
            else
            {
                return info;
            }

            info.Protocol = ipProto;
            info.IsFragment = Fragment;
            info.HasExtensionHeaders = Extensions;
            if (!Fragment && ipProto is IPProtocol.Tcp or IPProtocol.Udp)
            {
                info.Transport = ipProto == IPProtocol.Tcp ? TransportProtocol.Tcp : TransportProtocol.Udp;
                info.PortsOffset = offset >= 0 && frameLength - offset >= 4 ? offset : -1;
            }

            return info;
        }
    }
}
