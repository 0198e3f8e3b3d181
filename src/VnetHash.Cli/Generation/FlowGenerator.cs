using VnetHash.Cli.Frames;

namespace VnetHash.Cli.Generation;

/// <summary>
/// Draws synthetic flows from a seeded random source: IPv4 and IPv6, TCP and UDP, some with a VLAN tag, some
/// fragmented, some IPv6 flows with a Home Address option or a type-2 Routing header. The same seed gives the
/// same flows.
/// </summary>
public sealed class FlowGenerator
{
    private readonly Random _random;

    public FlowGenerator(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>The next flow: the frame spec of its first packet.</summary>
    public FrameSpec Next()
    {
        int kind = _random.Next(100);
        bool ipv6 = kind >= 60;
        int protocol = _random.Next(100) < 62 ? 6 : 17;
        var spec = new FrameSpec
        {
            Source = Address(ipv6, client: true),
            Destination = Address(ipv6, client: false),
            Protocol = protocol,
            SourcePort = (ushort)_random.Next(1024, 65536),
            DestinationPort = protocol == 6 ? WellKnown(443, 80, 22, 8080) : WellKnown(53, 443, 4789, 123),
            VlanId = _random.Next(100) < 10 ? (ushort)_random.Next(1, 4095) : null,
            PayloadLength = 32 + _random.Next(600),
        };

        int extra = _random.Next(100);
        if (extra < 5)
        {
            spec = spec with { Fragment = FragmentPart.First };
        }
        else if (ipv6 && extra < 9)
        {
            spec = spec with { HomeAddress = Address(ipv6: true, client: true) };
        }
        else if (ipv6 && extra < 13)
        {
            spec = spec with { RoutingAddress = Address(ipv6: true, client: false) };
        }

        return spec;
    }

    /// <summary>Packet <paramref name="n"/> of <paramref name="flow"/>: fragmented flows alternate first and later fragments.</summary>
    public static FrameSpec PacketOf(FrameSpec flow, int n)
    {
        FrameSpec packet = flow with { Sequence = (uint)(n * 1000) };
        if (flow.Fragment != FragmentPart.None)
        {
            packet = packet with { Fragment = n % 2 == 0 ? FragmentPart.First : FragmentPart.Later, Sequence = (uint)(n / 2) };
        }

        return packet;
    }

    private byte[] Address(bool ipv6, bool client)
    {
        if (!ipv6)
        {
            return client
                ? [10, (byte)_random.Next(256), (byte)_random.Next(256), (byte)_random.Next(1, 255)]
                : [192, 0, 2, (byte)_random.Next(1, 255)];
        }

        var address = new byte[16];
        address[0] = 0x20;
        address[1] = 0x01;
        address[2] = 0x0d;
        address[3] = 0xb8;
        address[4] = client ? (byte)0x01 : (byte)0x02;
        _random.NextBytes(address.AsSpan(8));
        return address;
    }

    private ushort WellKnown(params ushort[] ports) => ports[_random.Next(ports.Length)];
}
