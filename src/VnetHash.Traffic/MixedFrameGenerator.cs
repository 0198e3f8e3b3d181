using System.Buffers.Binary;
using System.Net;
using VnetHash.Packets;

namespace VnetHash.Traffic;

/// <summary>
/// Produces reproducible random frames that exercise every hash rule: IPv4 and IPv6, TCP, UDP and other
/// transports, fragments, VLAN and QinQ tags, IPv6 extension headers (Hop-by-Hop, Destination Options with and
/// without a Home Address, routing types 0 and 2, Fragment, AH, Mobility), and, on request, what only the
/// kernel's dissector treats specially (tunnels, PPPoE, cut-short transports), damaged frames and chains past the
/// dissector's bounds. Agreement tests and the tool's generator draw from it.
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

    /// <summary>The next Ethernet frame.</summary>
    public byte[] Next()
    {
        byte[] frame = NextWhole();
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
