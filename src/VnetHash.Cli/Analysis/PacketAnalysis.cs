using System.Buffers.Binary;
using VnetHash.Cli.Captures;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Decides one captured packet's outcome under one RSS configuration: where its frame starts, its hash, its
/// queue, its flow and what the warnings should know. Keeps no state, so any number of readers can share it.
/// </summary>
public sealed class PacketAnalysis
{
    private const int IPProtocolIPIP = 4;
    private const int IPProtocolGre = 47;

    private readonly RssSteering _steering;
    private readonly TunnelTypes _flowTunnels;
    private readonly bool _probeTunnels;

    /// <param name="configuration">The RSS configuration the packets are steered by.</param>
    /// <param name="queueCount">The queue count.</param>
    /// <param name="flowTunnels">
    /// The encapsulation types whose inner packet is the flow (default: the configuration's): a comparison that hashes
    /// on outer headers still counts the flows inside the tunnels, which are what the queues should spread.
    /// </param>
    public PacketAnalysis(RssConfiguration configuration, int queueCount, TunnelTypes? flowTunnels = null)
    {
        Configuration = configuration;
        QueueCount = queueCount;
        _steering = new RssSteering(configuration);
        _flowTunnels = flowTunnels ?? configuration.TunnelTypes;

        // Tunnels that the outer header matches but that are not enabled are looked for under the virtio-spec rules
        // only: linux-tun descends into tunnels by the series kernel's own rules.
        _probeTunnels = configuration.Profile == HashProfile.VirtioSpec && configuration.TunnelTypes != TunnelTypes.All;
    }

    public RssConfiguration Configuration { get; }

    public int QueueCount { get; }

    public PacketOutcome Analyze(ReadOnlySpan<byte> packet, LinkType linkType, int originalLength)
    {
        FrameLocation location = LinkLayer.Locate(linkType, packet);
        if (location.Kind is not (PayloadKind.Ethernet or PayloadKind.IP))
        {
            PacketNote note = location.Kind == PayloadKind.NonIP ? PacketNote.NonIP : PacketNote.UnsupportedLink;
            return new PacketOutcome(location, default, HashResult.None, _steering.SelectQueue(HashResult.None, QueueCount), 0, 0, originalLength, note);
        }

        ReadOnlySpan<byte> frame = packet[location.Offset..];
        FrameKind kind = location.Kind == PayloadKind.IP ? FrameKind.IP : FrameKind.Ethernet;
        PacketInfo info = _steering.Hasher.Dissect(frame, kind);
        HashResult hash = _steering.Hasher.Hash(frame, in info);
        TunnelTypes outerOnly = TunnelTypes.None;
        PacketInfo flowInfo = info;
        if (_probeTunnels && info.Tunnel == TunnelTypes.None && MayBeTunnel(frame, in info))
        {
            // Which encapsulation types the outer header matches, though none is enabled: the inner packet is where
            // they would be looked for.
            PacketInfo inner = PacketDissector.Dissect(frame, kind, HashProfile.VirtioSpec, TunnelTypes.All, Configuration.TunnelPorts);
            outerOnly = inner.Tunnel;
            flowInfo = (inner.Tunnel & _flowTunnels) != 0 ? inner : info;
        }

        ulong connection = flowInfo.Network == NetworkProtocol.None ? 0 : FlowKey.Connection(frame, in flowInfo);
        ulong flow = connection == 0 ? 0 : FlowKey.Directed(connection);

        // A fragment's tuple lacks the ports of its connection, so it does not stand for either direction.
        return new PacketOutcome(location, info, hash, _steering.SelectQueue(hash, QueueCount), flow, flowInfo.IsFragment ? 0 : connection, originalLength, Classify(in info, hash), outerOnly);
    }

    /// <summary>Whether the outer header can be one of the encapsulation types: IP in IP, GRE, or UDP to a tunnel port.</summary>
    private bool MayBeTunnel(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        if (info.Protocol is IPProtocolIPIP or IPProtocolGre)
        {
            return true;
        }

        if (info.Transport != TransportProtocol.Udp || info.PortsOffset < 0)
        {
            return false;
        }

        ushort port = BinaryPrimitives.ReadUInt16BigEndian(frame[(info.PortsOffset + 2)..]);
        UdpTunnelPorts ports = Configuration.TunnelPorts;
        return port == ports.Vxlan || port == ports.VxlanGpe || port == ports.Geneve || port == ports.GreUdp;
    }

    private static PacketNote Classify(in PacketInfo info, HashResult hash)
    {
        if (info.Network == NetworkProtocol.None)
        {
            return PacketNote.NonIP;
        }

        if (info.IsFragment)
        {
            return PacketNote.Fragment;
        }

        if (!hash.HasHash)
        {
            return PacketNote.IPWithoutHash;
        }

        bool addressOnly = hash.Report is HashReport.IPv4 or HashReport.IPv6 or HashReport.IPv6Ex;
        return !addressOnly ? PacketNote.None
            : info.Transport == TransportProtocol.Udp ? PacketNote.UdpAddressOnly
            : info.Transport == TransportProtocol.Tcp ? PacketNote.TcpAddressOnly
            : PacketNote.None;
    }
}
