using VnetHash.Cli.Captures;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Steers every packet of a capture as a virtio-net device with one RSS configuration would, and keeps
/// per-queue packets, bytes and flows, counts per hash type and the facts behind the warnings. Memory does not
/// grow with the capture: counters and fixed-size flow estimators only.
/// </summary>
public sealed class CaptureAnalyzer
{
    private readonly RssSteering _steering;
    private readonly long[] _reports = new long[10];
    private readonly QueueStatistics[] _queues;

    public CaptureAnalyzer(string label, RssConfiguration configuration, int queueCount)
    {
        Label = label;
        Configuration = configuration;
        QueueCount = queueCount;
        _steering = new RssSteering(configuration);
        _queues = new QueueStatistics[queueCount];
        for (int i = 0; i < queueCount; i++)
        {
            _queues[i] = new QueueStatistics(i);
        }
    }

    /// <summary>What this analysis is called in comparisons (the key or profile name).</summary>
    public string Label { get; }

    public RssConfiguration Configuration { get; }

    public int QueueCount { get; }

    public IReadOnlyList<QueueStatistics> Queues => _queues;

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    public FlowCounter Flows { get; } = new();

    /// <summary>Packets that are not IP (ARP, other EtherTypes, cooked or loopback headers naming another protocol).</summary>
    public long NonIPPackets { get; private set; }

    /// <summary>Packets on link types this tool does not decode.</summary>
    public long UnsupportedLinkPackets { get; private set; }

    /// <summary>IP fragments: they get address-only hashes, so a flow's fragments and whole packets can part ways.</summary>
    public long Fragments { get; private set; }

    /// <summary>UDP packets hashed on addresses only because the UDP hash types are off.</summary>
    public long UdpAddressOnly { get; private set; }

    /// <summary>TCP packets hashed on addresses only because the TCP hash types are off.</summary>
    public long TcpAddressOnly { get; private set; }

    /// <summary>IP packets that got no hash because none of their types is enabled.</summary>
    public long IPWithoutHash { get; private set; }

    /// <summary>Packets per hash report value 0..9.</summary>
    public ReadOnlySpan<long> ReportCounts => _reports;

    /// <summary>Per-entry loads for a table suggestion, when one is asked for.</summary>
    internal EntryLoads? Loads { get; set; }

    /// <summary>Steers one captured packet and records it.</summary>
    public PacketOutcome Add(ReadOnlySpan<byte> packet, LinkType linkType, int originalLength)
    {
        FrameLocation location = LinkLayer.Locate(linkType, packet);
        PacketInfo info = default;
        HashResult hash = HashResult.None;
        if (location.Kind is PayloadKind.Ethernet or PayloadKind.IP)
        {
            ReadOnlySpan<byte> frame = packet[location.Offset..];
            info = PacketDissector.Dissect(frame, location.Kind == PayloadKind.IP ? FrameKind.IP : FrameKind.Ethernet, Configuration.Profile);
            hash = _steering.Hasher.Hash(frame, in info);
            Classify(in info, hash);
            if (info.Network != NetworkProtocol.None)
            {
                ulong flow = FlowKey.Hash(frame, in info);
                Flows.Add(flow);
                _queues[_steering.SelectQueue(hash, QueueCount)].Flows.Add(flow);
            }
        }
        else if (location.Kind == PayloadKind.NonIP)
        {
            NonIPPackets++;
        }
        else
        {
            UnsupportedLinkPackets++;
        }

        int queue = _steering.SelectQueue(hash, QueueCount);
        QueueStatistics stats = _queues[queue];
        stats.Packets++;
        stats.Bytes += originalLength;
        Packets++;
        Bytes += originalLength;
        _reports[(int)hash.Report]++;
        var outcome = new PacketOutcome(location, info, hash, queue);
        Loads?.Add(packet, in outcome, Configuration.IndirectionTableMask, originalLength);
        return outcome;
    }

    /// <summary>The imbalance figures and warnings of what was added so far.</summary>
    public AnalysisSummary Summarize()
    {
        var counts = new long[QueueCount];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Queues[i].Packets;
        }

        double mean = QueueCount == 0 ? 0 : (double)Packets / QueueCount;
        double max = counts.Length == 0 ? 0 : counts.Max();
        double variance = counts.Length == 0 ? 0 : counts.Sum(c => (c - mean) * (c - mean)) / counts.Length;
        double chi = ChiSquare.Statistic(counts);
        return new AnalysisSummary(
            MaxOverMean: mean == 0 ? 0 : max / mean,
            CoefficientOfVariation: mean == 0 ? 0 : Math.Sqrt(variance) / mean,
            ChiSquare: chi,
            DegreesOfFreedom: QueueCount - 1,
            PValue: ChiSquare.PValue(chi, QueueCount - 1),
            Warnings: Warnings());
    }

    private void Classify(in PacketInfo info, HashResult hash)
    {
        if (info.Network == NetworkProtocol.None)
        {
            NonIPPackets++;
            return;
        }

        if (info.IsFragment)
        {
            Fragments++;
        }

        if (hash.Report == HashReport.None)
        {
            IPWithoutHash++;
            return;
        }

        bool addressOnly = hash.Report is HashReport.IPv4 or HashReport.IPv6 or HashReport.IPv6Ex;
        if (addressOnly && !info.IsFragment && info.Transport == TransportProtocol.Udp)
        {
            UdpAddressOnly++;
        }

        if (addressOnly && !info.IsFragment && info.Transport == TransportProtocol.Tcp)
        {
            TcpAddressOnly++;
        }
    }

    private List<string> Warnings()
    {
        var warnings = new List<string>();
        if (UdpAddressOnly > 0)
        {
            warnings.Add($"{UdpAddressOnly} UDP packets were hashed on addresses only because the UDP hash types are off: all UDP flows between two hosts share one queue");
        }

        if (TcpAddressOnly > 0)
        {
            warnings.Add($"{TcpAddressOnly} TCP packets were hashed on addresses only because the TCP hash types are off");
        }

        if (Fragments > 0)
        {
            warnings.Add($"{Fragments} IP fragments were hashed on addresses only (fragments never get a TCP or UDP hash), so they may land on another queue than the unfragmented packets of their flow");
        }

        if (NonIPPackets > 0)
        {
            warnings.Add($"{NonIPPackets} non-IP packets got no hash and went to the unclassified queue {Configuration.UnclassifiedQueue % QueueCount}");
        }

        if (IPWithoutHash > 0)
        {
            warnings.Add($"{IPWithoutHash} IP packets got no hash because none of their hash types is enabled; they went to the unclassified queue {Configuration.UnclassifiedQueue % QueueCount}");
        }

        if (UnsupportedLinkPackets > 0)
        {
            warnings.Add($"{UnsupportedLinkPackets} packets use a link type this tool does not decode; they were counted as unclassified");
        }

        var used = new bool[QueueCount];
        foreach (ushort entry in Configuration.IndirectionTable)
        {
            used[entry % QueueCount] = true;
        }

        int[] unused = [.. Enumerable.Range(0, QueueCount).Where(q => !used[q])];
        if (unused.Length > 0)
        {
            warnings.Add($"queue(s) {string.Join(", ", unused)} never appear in the indirection table and receive only unclassified packets");
        }

        return warnings;
    }
}
