using System.Buffers.Binary;

namespace VnetHash.Packets;

public static partial class PacketDissector
{
    /// <summary>The Linux flow dissector's limit on headers it steps through (MAX_FLOW_DISSECT_HDRS).</summary>
    internal const int LinuxMaxDissectedHeaders = 15;

    private const ushort PppIPv4 = 0x0021;
    private const ushort PppIPv6 = 0x0057;
    private const ushort GreChecksum = 0x8000;
    private const ushort GreKey = 0x2000;
    private const ushort GreSequence = 0x1000;
    private const ushort GreRoutingOrVersion = 0x4007;

    /// <summary>
    /// The decisions the series kernel takes through the Linux flow dissector (measured frame by frame, see
    /// docs/design.md): tunnels and PPPoE are descended into, the IP version nibble behind an EtherType is not
    /// checked, AH and the Mobility header end the walk, and TCP/UDP count by protocol number alone, with ports
    /// that cannot be read counting as zero.
    /// </summary>
    private static PacketInfo DissectLinuxTun(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        var info = PacketInfo.NotIP;
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
                return info;
            }

            proto = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
            offset = EthernetHeaderLength;
        }

        int ipProto = -1;
        int steps = 0;
        bool network = true;
        while (true)
        {
            if (network)
            {
                switch (proto)
                {
                    case EtherType.IPv4:
                        if (frame.Length - offset < IPv4MinimumHeaderLength || (frame[offset] & 0x0F) < 5)
                        {
                            return PacketInfo.NotIP;
                        }

                        info.Network = NetworkProtocol.IPv4;
                        info.AddressOffset = offset + 12;
                        ipProto = frame[offset + 9];
                        info.IsFragment = (BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]) & 0x3FFF) != 0;
                        offset += (frame[offset] & 0x0F) * 4;
                        if (info.IsFragment)
                        {
                            return Finish(info, ipProto, offset, frame.Length);
                        }

                        network = false;
                        break;
                    case EtherType.IPv6:
                        if (frame.Length - offset < IPv6HeaderLength)
                        {
                            return PacketInfo.NotIP;
                        }

                        info.Network = NetworkProtocol.IPv6;
                        info.AddressOffset = offset + 8;
                        info.IsFragment = false;
                        ipProto = frame[offset + 6];
                        offset += IPv6HeaderLength;
                        network = false;
                        break;
                    case EtherType.Vlan or EtherType.QinQ:
                        if (frame.Length - offset < 4)
                        {
                            return PacketInfo.NotIP;
                        }

                        proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                        offset += 4;
                        break;
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
                        break;
                    default:
                        return PacketInfo.NotIP;
                }
            }
            else
            {
                switch (ipProto)
                {
                    case IPProtocol.IPIP:
                        proto = EtherType.IPv4;
                        network = true;
                        break;
                    case IPProtocol.IPv6InIP:
                        proto = EtherType.IPv6;
                        network = true;
                        break;
                    case IPProtocol.Gre:
                        if (frame.Length - offset < 4)
                        {
                            return PacketInfo.NotIP;
                        }

                        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
                        if ((flags & GreRoutingOrVersion) != 0)
                        {
                            return Finish(info, ipProto, offset, frame.Length);
                        }

                        proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                        int greLength = 4 + ((flags & GreChecksum) != 0 ? 4 : 0) + ((flags & GreKey) != 0 ? 4 : 0) + ((flags & GreSequence) != 0 ? 4 : 0);
                        if (proto == EtherType.TransparentEthernetBridging)
                        {
                            if (frame.Length - offset < greLength + EthernetHeaderLength)
                            {
                                return PacketInfo.NotIP;
                            }

                            proto = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + greLength + 12)..]);
                            greLength += EthernetHeaderLength;
                        }
                        else if (frame.Length - offset < greLength)
                        {
                            return PacketInfo.NotIP;
                        }

                        offset += greLength;
                        network = true;
                        break;
                    case IPProtocol.HopByHop or IPProtocol.Routing or IPProtocol.DestinationOptions when info.Network == NetworkProtocol.IPv6:
                        if (frame.Length - offset < 2)
                        {
                            return PacketInfo.NotIP;
                        }

                        info.HasExtensionHeaders = true;
                        ipProto = frame[offset];
                        offset += (frame[offset + 1] + 1) * 8;
                        break;
                    case IPProtocol.Fragment when info.Network == NetworkProtocol.IPv6:
                        if (frame.Length - offset < 8)
                        {
                            return PacketInfo.NotIP;
                        }

                        info.HasExtensionHeaders = true;
                        info.IsFragment = true;
                        ipProto = frame[offset];
                        return Finish(info, ipProto, offset + 8, frame.Length);
                    default:
                        return Finish(info, ipProto, offset, frame.Length);
                }
            }

            if (++steps > LinuxMaxDissectedHeaders)
            {
                return network ? PacketInfo.NotIP : Finish(info, ipProto, offset, frame.Length);
            }
        }
    }

    private static PacketInfo Finish(PacketInfo info, int ipProto, int offset, int frameLength)
    {
        info.Protocol = ipProto;
        if (!info.IsFragment && ipProto is IPProtocol.Tcp or IPProtocol.Udp)
        {
            info.Transport = ipProto == IPProtocol.Tcp ? TransportProtocol.Tcp : TransportProtocol.Udp;
            info.PortsOffset = offset >= 0 && frameLength - offset >= 4 ? offset : -1;
        }

        return info;
    }
}
