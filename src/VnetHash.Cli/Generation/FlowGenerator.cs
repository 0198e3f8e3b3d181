using VnetHash.Cli.Frames;
using VnetHash.Hashing;

namespace VnetHash.Cli.Generation;

/// <summary>
/// Draws synthetic flows from a seeded random source: IPv4 and IPv6, TCP and UDP, some with a VLAN tag, some
/// fragmented, some IPv6 flows with a Home Address option or a type-2 Routing header; with tunnel types, every flow
/// inside a tunnel of one of them between two hosts. The same seed gives the same flows.
/// </summary>
public sealed class FlowGenerator
{
    // Where senders take a UDP tunnel's source port from the inner flow: the dynamic range (RFC 6335).
    private const int EntropyPorts = 16384;
    private const int FirstEntropyPort = 49152;

    private readonly Random _random;
    private readonly TunnelTypes[] _tunnels;
    private readonly UdpTunnelPorts _ports;

    /// <param name="seed">The random seed.</param>
    /// <param name="tunnels">The encapsulation types the flows travel in, one drawn per flow; none for plain flows.</param>
    /// <param name="ports">The UDP tunnels' destination ports (IANA's when null).</param>
    public FlowGenerator(int seed, TunnelTypes tunnels = TunnelTypes.None, UdpTunnelPorts? ports = null)
    {
        _random = new Random(seed);
        _tunnels = [.. Enumerable.Range(0, 32).Select(bit => (TunnelTypes)(1u << bit)).Where(type => (tunnels & type) != 0)];
        _ports = ports ?? UdpTunnelPorts.Iana;
    }

    /// <summary>The next flow: the frame spec of its first packet.</summary>
    public FrameSpec Next()
    {
        // Drawn first, and only with tunnels, so that the flows of a seed without tunnels stay what they were.
        TunnelTypes tunnel = _tunnels.Length == 0 ? TunnelTypes.None : _tunnels[_random.Next(_tunnels.Length)];
        int kind = _random.Next(100);
        bool ipv6 = kind >= 60 && tunnel != TunnelTypes.Ipip;
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

        return tunnel == TunnelTypes.None ? spec : spec with { Tunnel = TunnelOf(spec, tunnel) };
    }

    private TunnelSpec TunnelOf(FrameSpec flow, TunnelTypes type)
    {
        uint id = (uint)_random.Next(1, 1 << 24);
        ushort port = type switch
        {
            TunnelTypes.Vxlan => _ports.Vxlan,
            TunnelTypes.VxlanGpe => _ports.VxlanGpe,
            TunnelTypes.Geneve => _ports.Geneve,
            TunnelTypes.GreUdp => _ports.GreUdp,
            _ => 0,
        };
        return port == 0 ? new TunnelSpec(type, id) : new TunnelSpec(type, id, EntropyPort(flow), port);
    }

    /// <summary>A source port that follows the inner flow, as a tunnel endpoint takes it from a hash of the inner headers.</summary>
    private static ushort EntropyPort(FrameSpec flow)
    {
        // FNV-1a: the same in every run (HashCode is seeded per process), so a seed gives the same capture.
        uint hash = 2166136261;
        foreach (byte b in (byte[])[.. flow.Source, .. flow.Destination, (byte)(flow.SourcePort >> 8), (byte)flow.SourcePort,
            (byte)(flow.DestinationPort >> 8), (byte)flow.DestinationPort, (byte)flow.Protocol])
        {
            hash = (hash ^ b) * 16777619;
        }

        return (ushort)(FirstEntropyPort + (hash % EntropyPorts));
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
