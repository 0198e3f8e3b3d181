using System.Net;

namespace VnetHash.Packets;

/// <summary>
/// Produces reproducible random frames that exercise every hash rule: IPv4 and IPv6, TCP, UDP and other
/// transports, fragments, VLAN and QinQ tags, IPv6 extension headers (Hop-by-Hop, Destination Options with and
/// without a Home Address, routing types 0 and 2, Fragment, AH, Mobility), and, on request, what only the
/// kernel's dissector treats specially (tunnels, PPPoE, cut-short transports). Agreement tests and the tool's
/// generator draw from it.
/// </summary>
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

    /// <summary>The next Ethernet frame.</summary>
    public byte[] Next()
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
        if (_random.Next(2) == 0)
        {
            AddIPv4(builder);
        }
        else
        {
            AddIPv6(builder);
        }

        AddTransport(builder);
        return builder.Build();
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
            options: shape == 3 ? [0x94, 4, 0, 0] : null);
    }

    private void AddIPv6(FrameBuilder builder)
    {
        builder.IPv6(IPv6Address(), IPv6Address());
        int headers = _random.Next(3) == 0 ? _random.Next(1, 4) : 0;
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
                builder.Tcp(Port(), Port()).Payload(Bytes(_random.Next(0, 16)));
                break;
            case < 8:
                builder.Udp(Port(), Port()).Payload(Bytes(_random.Next(0, 16)));
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
