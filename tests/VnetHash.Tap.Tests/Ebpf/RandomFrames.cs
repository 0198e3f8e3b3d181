using System.Buffers.Binary;
using VnetHash.Packets;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>
/// Random frames covering what the hash rules distinguish: IPv4/IPv6, TCP/UDP/other, fragments, VLAN and QinQ
/// tags, IPv6 extension headers with Home Address options and type-2 routing headers, AH, Mobility, tunnels and
/// PPPoE (the linux-tun profile), and damaged frames (cut short, bytes overwritten) for the edge rules.
/// </summary>
internal sealed class RandomFrames(int seed)
{
    private readonly Random _random = new(seed);

    internal byte[] Next()
    {
        byte[] frame = _random.Next(10) switch
        {
            0 => Tunnel(),
            1 => Pppoe(),
            _ => Plain(),
        };

        // Damage some frames so the bounds rules (cut-short headers, lying lengths) are exercised.
        int damage = _random.Next(8);
        if (damage == 0 && frame.Length > 1)
        {
            frame = frame[.._random.Next(1, frame.Length)];
        }
        else if (damage == 1)
        {
            frame[_random.Next(frame.Length)] = (byte)_random.Next(256);
        }

        return frame;
    }

    private byte[] Plain()
    {
        var builder = new FrameBuilder().Ethernet();
        AddTags(builder);
        AddIP(builder, out _);
        return builder.Build();
    }

    private void AddTags(FrameBuilder builder)
    {
        int tags = _random.Next(4) == 0 ? _random.Next(1, 10) : 0;
        for (int i = 0; i < tags; i++)
        {
            builder.Vlan((ushort)_random.Next(4096), _random.Next(2) == 0 ? (ushort)0x8100 : (ushort)0x88A8);
        }
    }

    private void AddIP(FrameBuilder builder, out bool ipv6)
    {
        ipv6 = _random.Next(2) == 0;
        if (ipv6)
        {
            builder.IPv6(IPv6Address(), IPv6Address());
            int headers = _random.Next(3) == 0 ? (_random.Next(8) == 0 ? _random.Next(10, 20) : _random.Next(1, 5)) : 0;
            for (int i = 0; i < headers; i++)
            {
                switch (_random.Next(7))
                {
                    case 0: builder.HopByHop(); break;
                    case 1: builder.DestinationOptions(_random.Next(2) == 0 ? IPv6Address() : null); break;
                    case 2: builder.Routing(IPv6Address(), (byte)(_random.Next(3) == 0 ? 0 : 2), (byte)(_random.Next(4) == 0 ? 0 : 1)); break;
                    case 3: builder.Fragment(_random.Next(3) == 0 ? _random.Next(1, 100) : 0, _random.Next(2) == 0); break;
                    case 4: builder.AuthenticationHeader(); break;
                    case 5: builder.Mobility(); break;
                    default: builder.DestinationOptions(IPv6Address()); break;
                }
            }
        }
        else
        {
            byte[]? options = _random.Next(5) == 0 ? new byte[4 * _random.Next(1, 11)] : null;
            int fragment = _random.Next(6);
            builder.IPv4(IPv4Address(), IPv4Address(), moreFragments: fragment == 0, fragmentOffset: fragment == 1 ? _random.Next(1, 1000) : 0, dontFragment: fragment == 2, options: options);
        }

        switch (_random.Next(6))
        {
            case 0 or 1: builder.Tcp(Port(), Port(), _random.Next(8) == 0 ? _random.Next(0, 20) : 20); break;
            case 2 or 3: builder.Udp(Port(), Port(), _random.Next(8) == 0 ? _random.Next(0, 8) : 8); break;
            case 4: builder.Payload(Bytes(_random.Next(0, 40)), _random.Next(2) == 0 ? 1 : 132); break;
            default: builder.Payload(Bytes(_random.Next(0, 20))); break;
        }
    }

    /// <summary>IP-in-IP, 6in4, 4in6, 6in6 and GRE (plain, keyed, Ethernet over GRE).</summary>
    private byte[] Tunnel()
    {
        var inner = new FrameBuilder();
        AddIP(inner, out bool innerV6);
        byte[] innerBytes = inner.Build();
        var outer = new FrameBuilder().Ethernet();
        AddTags(outer);
        bool outerV6 = _random.Next(2) == 0;
        if (outerV6)
        {
            outer.IPv6(IPv6Address(), IPv6Address());
        }
        else
        {
            outer.IPv4(IPv4Address(), IPv4Address());
        }

        int kind = _random.Next(3);
        if (kind == 0)
        {
            outer.Payload(innerBytes, innerV6 ? 41 : 4);
        }
        else
        {
            bool key = _random.Next(2) == 0;
            bool teb = kind == 2;
            byte[] gre = new byte[4 + (key ? 4 : 0) + (teb ? 14 : 0)];
            BinaryPrimitives.WriteUInt16BigEndian(gre, (ushort)(key ? 0x2000 : 0));
            BinaryPrimitives.WriteUInt16BigEndian(gre.AsSpan(2), teb ? (ushort)0x6558 : innerV6 ? (ushort)0x86DD : (ushort)0x0800);
            if (teb)
            {
                BinaryPrimitives.WriteUInt16BigEndian(gre.AsSpan(gre.Length - 2), innerV6 ? (ushort)0x86DD : (ushort)0x0800);
            }

            outer.Payload([.. gre, .. innerBytes], 47);
        }

        return outer.Build();
    }

    /// <summary>A PPPoE session frame carrying IPv4 or IPv6 (or another PPP protocol).</summary>
    private byte[] Pppoe()
    {
        var inner = new FrameBuilder();
        AddIP(inner, out bool v6);
        byte[] ip = inner.Build();
        byte[] frame = new byte[14 + 8 + ip.Length];
        frame[0] = 0x02;
        frame[5] = 0x01;
        frame[6] = 0x02;
        frame[11] = 0x02;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), (ushort)0x8864);
        frame[14] = 0x11;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(18), (ushort)(ip.Length + 2));
        ushort ppp = _random.Next(8) == 0 ? (ushort)0xc021 : v6 ? (ushort)0x0057 : (ushort)0x0021;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(20), ppp);
        ip.CopyTo(frame, 22);
        return frame;
    }

    private string IPv4Address() => $"{_random.Next(1, 224)}.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(1, 255)}";

    private string IPv6Address() => $"{_random.Next(0x2000, 0x3fff):x}:{_random.Next(0x10000):x}:{_random.Next(0x10000):x}::{_random.Next(0x10000):x}:{_random.Next(1, 0x10000):x}";

    private ushort Port() => (ushort)_random.Next(65536);

    private byte[] Bytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
