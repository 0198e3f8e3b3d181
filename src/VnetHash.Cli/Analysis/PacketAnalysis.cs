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
    private readonly RssSteering _steering;

    public PacketAnalysis(RssConfiguration configuration, int queueCount)
    {
        Configuration = configuration;
        QueueCount = queueCount;
        _steering = new RssSteering(configuration);
    }

    public RssConfiguration Configuration { get; }

    public int QueueCount { get; }

    public PacketOutcome Analyze(ReadOnlySpan<byte> packet, LinkType linkType, int originalLength)
    {
        FrameLocation location = LinkLayer.Locate(linkType, packet);
        if (location.Kind is not (PayloadKind.Ethernet or PayloadKind.IP))
        {
            PacketNote note = location.Kind == PayloadKind.NonIP ? PacketNote.NonIP : PacketNote.UnsupportedLink;
            return new PacketOutcome(location, default, HashResult.None, _steering.SelectQueue(HashResult.None, QueueCount), 0, originalLength, note);
        }

        ReadOnlySpan<byte> frame = packet[location.Offset..];
        PacketInfo info = PacketDissector.Dissect(frame, location.Kind == PayloadKind.IP ? FrameKind.IP : FrameKind.Ethernet, Configuration.Profile);
        HashResult hash = _steering.Hasher.Hash(frame, in info);
        ulong flow = info.Network == NetworkProtocol.None ? 0 : FlowKey.Hash(frame, in info);
        return new PacketOutcome(location, info, hash, _steering.SelectQueue(hash, QueueCount), flow, originalLength, Classify(in info, hash));
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
