using System.Buffers.Binary;
using System.Runtime.CompilerServices;
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
    private const int IPProtocolTcp = 6;
    private const int IPProtocolUdp = 17;
    private const int IPProtocolGre = 47;

    private readonly RssSteering _steering;
    private readonly TunnelTypes _flowTunnels;
    private readonly bool _probeTunnels;

    // Dissects with every encapsulation type on, to find the tunnels that are not enabled: prepared once, so that a
    // packet's look inside does not check the arguments again.
    private readonly PacketHasher? _tunnelProbe;

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
        _tunnelProbe = _probeTunnels
            ? new PacketHasher(configuration.PreparedKey, configuration.Types, HashProfile.VirtioSpec, SymmetricMode.None, TunnelTypes.All, configuration.TunnelPorts)
            : null;
    }

    public RssConfiguration Configuration { get; }

    public int QueueCount { get; }

    public PacketOutcome Analyze(ReadOnlySpan<byte> packet, LinkType linkType, int originalLength)
    {
        Steer(packet, LinkLayer.Locate(linkType, packet), out Steered steered);
        return new PacketOutcome(steered.Location, steered.Info, steered.Hash, steered.Queue, steered.Flow, steered.Connection, originalLength, steered.Note, steered.OuterOnly);
    }

    /// <summary>
    /// <see cref="Analyze"/> and <see cref="AnalysisCounters.Add(in PacketOutcome)"/> in one, for a reader that hands
    /// over one packet at a time (the batch form below holds plain packets back a packet). No outcome is copied: a
    /// copy of a struct just written is read before its stores reach the cache, and waits for them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(ReadOnlySpan<byte> packet, LinkType linkType, int originalLength, AnalysisCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        FrameLocation location = LinkLayer.Locate(linkType, packet);
        if (TryDecidePlain(packet, location, out PlainDecision plain))
        {
            counters.AddPlain(plain.Queue, originalLength, plain.Flow, plain.Connection, plain.Report, plain.OuterOnly);
            return;
        }

        CountSteered(packet, location, originalLength, counters);
    }

    // Every packet the shortcut leaves. Out of line: inlined into the per-packet loop, its outcome (a dissection among
    // it) was zeroed on the stack for every packet, and its values crowded the shortcut's out of registers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CountSteered(ReadOnlySpan<byte> packet, FrameLocation location, int originalLength, AnalysisCounters counters)
    {
        Steer(packet, location, out Steered steered);
        counters.Add(steered.Queue, originalLength, steered.Flow, steered.Connection, steered.Hash.Report, steered.Note, steered.Info.Tunnel, steered.OuterOnly);
    }

    /// <summary>
    /// <see cref="Count(ReadOnlySpan{byte}, LinkType, int, AnalysisCounters)"/> of a batch of packets
    /// (<see cref="CaptureReader.ReadBatches"/>), slices of <paramref name="bytes"/>: one loop per analysis keeps its
    /// fields in registers across the packets. A plain packet is counted one packet late: its direction-symmetry slot
    /// is prefetched once its connection is known and read after the next packet is decided, instead of being waited
    /// for (docs/design.md, "the direction-symmetry slot"). The packets are still counted in their order.
    /// </summary>
    internal void Count(ReadOnlySpan<byte> bytes, ReadOnlySpan<BufferedPacket> packets, AnalysisCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        DirectionSymmetry symmetry = counters.Symmetry;

        // The held plain packet, in locals of their own: a copy of the decision whole was read right after its fields
        // were stored, and waited for the stores. A length of -1: none held.
        int heldLength = -1;
        int heldQueue = 0;
        ulong heldFlow = 0;
        ulong heldConnection = 0;
        HashReport heldReport = HashReport.None;
        TunnelTypes heldOuterOnly = TunnelTypes.None;
        foreach (ref readonly BufferedPacket packet in packets)
        {
            ReadOnlySpan<byte> data = bytes.Slice(packet.Start, packet.Length);
            FrameLocation location = LinkLayer.Locate(packet.LinkType, data);
            if (TryDecidePlain(data, location, out PlainDecision plain))
            {
                if (heldLength >= 0)
                {
                    counters.AddPlain(heldQueue, heldLength, heldFlow, heldConnection, heldReport, heldOuterOnly);
                }

                symmetry.Prefetch(plain.Connection);

                heldQueue = plain.Queue;
                heldFlow = plain.Flow;
                heldConnection = plain.Connection;
                heldReport = plain.Report;
                heldOuterOnly = plain.OuterOnly;
                heldLength = packet.OriginalLength;
                continue;
            }

            // Another packet is counted after the held one, as it comes after it.
            if (heldLength >= 0)
            {
                AddHeld(counters, heldQueue, heldLength, heldFlow, heldConnection, heldReport, heldOuterOnly);
                heldLength = -1;
            }

            CountSteered(data, location, packet.OriginalLength, counters);
        }

        if (heldLength >= 0)
        {
            AddHeld(counters, heldQueue, heldLength, heldFlow, heldConnection, heldReport, heldOuterOnly);
        }
    }

    // The count of a held packet where the loop does not count it. Out of line, so that the counters' adds are inlined
    // into the loop once.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddHeld(AnalysisCounters counters, int queue, int length, ulong flow, ulong connection, HashReport report, TunnelTypes outerOnly) =>
        counters.AddPlain(queue, length, flow, connection, report, outerOnly);

    /// <summary>
    /// Decides a plain TCP or UDP packet (<see cref="PacketHasher.TryHashPlain(ReadOnlySpan{byte}, FrameKind, out int, out int)"/>,
    /// most of a capture) without the general dissection, as <see cref="Steer"/> would: its report is all the counters
    /// need besides the queue and the flow (no note, not a fragment, not hashed inside a tunnel), and its tuple lies
    /// where the hasher says. A UDP packet to the port of an encapsulation type that is not enabled is looked inside
    /// as <see cref="Steer"/> looks, for its flow and the types it matched. False for any other packet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryDecidePlain(ReadOnlySpan<byte> packet, FrameLocation location, out PlainDecision decision)
    {
        decision = default;
        if (!location.TryGetFrame(packet, out ReadOnlySpan<byte> frame, out FrameKind kind))
        {
            return false;
        }

        HashResult hash = _steering.Hasher.TryHashPlain(frame, kind, out int addresses, out int ports);
        if (!hash.HasHash)
        {
            return false;
        }

        bool udp = hash.Report is HashReport.UdpV4 or HashReport.UdpV6;
        NetworkProtocol network = hash.Report is HashReport.TcpV4 or HashReport.UdpV4 ? NetworkProtocol.IPv4 : NetworkProtocol.IPv6;
        ulong connection = FlowKey.Connection(frame, network, udp ? IPProtocolUdp : IPProtocolTcp, addresses, ports);
        decision.Queue = _steering.SelectQueue(hash, QueueCount);
        decision.Report = hash.Report;
        if (!(udp && _probeTunnels && IsTunnelPort(BinaryPrimitives.ReadUInt16BigEndian(frame[(ports + 2)..]))
            && CarriesUdpTunnel(frame, ports) && TryInnerFlow(frame, kind, out decision.OuterOnly, out decision.Flow, out decision.Connection)))
        {
            decision.Flow = 0;
            decision.Connection = connection;
        }

        return true;
    }

    private void Steer(ReadOnlySpan<byte> packet, FrameLocation location, out Steered steered)
    {
        steered.Location = location;
        steered.OuterOnly = TunnelTypes.None;
        if (!location.TryGetFrame(packet, out ReadOnlySpan<byte> frame, out FrameKind kind))
        {
            steered.Flow = 0;
            steered.Connection = 0;
            steered.Info = default;
            steered.Hash = HashResult.None;
            steered.Note = location.Kind == PayloadKind.NonIP ? PacketNote.NonIP : PacketNote.UnsupportedLink;
            steered.Queue = _steering.SelectQueue(HashResult.None, QueueCount);
            return;
        }

        // The dissection and the hash stay in locals until the end: read back whole right after their fields were
        // stored one by one, the stores would not yet have reached the cache, and the load would wait for them.
        PacketInfo info = _steering.Hasher.Dissect(frame, kind);
        HashResult hash = _steering.Hasher.Hash(frame, in info);
        steered.Hash = hash;
        steered.Queue = _steering.SelectQueue(hash, QueueCount);
        steered.Note = Classify(in info, hash);
        if (!(_probeTunnels && info.Tunnel == TunnelTypes.None && MayBeTunnel(frame, in info)
            && TryInnerFlow(frame, kind, out steered.OuterOnly, out steered.Flow, out steered.Connection)))
        {
            FlowOf(frame, in info, out steered.Flow, out steered.Connection);
        }

        steered.Info = info;
    }

    // Which encapsulation types the outer header matches, though none is enabled: the inner packet is where they would
    // be looked for. True, with the inner packet's flow, when its type is one the flows are counted by; otherwise the
    // flow is the outer packet's. Out of line: few packets get here, and their callers then keep no second PacketInfo.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryInnerFlow(ReadOnlySpan<byte> frame, FrameKind kind, out TunnelTypes outerOnly, out ulong flow, out ulong connection)
    {
        PacketInfo inner = _tunnelProbe!.Dissect(frame, kind);
        outerOnly = inner.Tunnel;
        flow = connection = 0;
        if ((inner.Tunnel & _flowTunnels) == 0)
        {
            return false;
        }

        FlowOf(frame, in inner, out flow, out connection);
        return true;
    }

    private static void FlowOf(ReadOnlySpan<byte> frame, in PacketInfo flowInfo, out ulong flow, out ulong connection)
    {
        ulong key = flowInfo.Network == NetworkProtocol.None ? 0 : FlowKey.Connection(frame, in flowInfo);
        flow = key == 0 ? 0 : FlowKey.Directed(key);

        // A fragment's tuple lacks the ports of its connection, so it does not stand for either direction.
        connection = flowInfo.IsFragment ? 0 : key;
    }

    /// <summary>Whether the outer header can be one of the encapsulation types: IP in IP, GRE, or UDP carrying a tunnel header.</summary>
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

        return CarriesUdpTunnel(frame, info.PortsOffset);
    }

    // Whether the UDP header at udp and what follows it in the frame match a UDP tunnel type: where they do not, nor
    // does the IP packet (PacketDissector.MatchUdpTunnel), and the look inside, a whole dissection, is spared. Most
    // datagrams to a tunnel port that carry no tunnel header end here.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool CarriesUdpTunnel(ReadOnlySpan<byte> frame, int udp) => PacketDissector.MatchUdpTunnel(frame, udp, Configuration.TunnelPorts) != TunnelTypes.None;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsTunnelPort(ushort destination)
    {
        UdpTunnelPorts ports = Configuration.TunnelPorts;
        return destination == ports.Vxlan || destination == ports.VxlanGpe || destination == ports.Geneve || destination == ports.GreUdp;
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

    /// <summary>What <see cref="TryDecidePlain"/> decides: the parts of a plain packet's outcome that counters keep.</summary>
    internal struct PlainDecision
    {
        public int Queue;
        public HashReport Report;

        /// <summary>The flow where there is no connection (the packet inside a tunnel is a fragment). Where there is one, the counters derive the flow from it and do not read this (<see cref="AnalysisCounters.Add(int, int, ulong, ulong, HashReport, PacketNote, TunnelTypes, TunnelTypes)"/>).</summary>
        public ulong Flow;
        public ulong Connection;
        public TunnelTypes OuterOnly;
    }

    /// <summary>What <see cref="Steer"/> decides, written field by field where the caller keeps it.</summary>
    private struct Steered
    {
        public FrameLocation Location;
        public PacketInfo Info;
        public HashResult Hash;
        public int Queue;
        public ulong Flow;
        public ulong Connection;
        public PacketNote Note;
        public TunnelTypes OuterOnly;
    }
}
