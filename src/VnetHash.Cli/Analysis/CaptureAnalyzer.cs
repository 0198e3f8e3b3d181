using VnetHash.Cli.Captures;
using VnetHash.Rss;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// One configuration's analysis of captures: steers every packet as a virtio-net device with that RSS
/// configuration would (<see cref="PacketAnalysis"/>) and counts the outcomes (<see cref="AnalysisCounters"/>).
/// Memory does not grow with the capture: counters and fixed-size flow estimators only.
/// </summary>
public sealed class CaptureAnalyzer
{
    public CaptureAnalyzer(string label, RssConfiguration configuration, int queueCount)
    {
        Label = label;
        Analysis = new PacketAnalysis(configuration, queueCount);
        Counters = new AnalysisCounters(queueCount);
    }

    /// <summary>What this analysis is called in comparisons (the key or profile name).</summary>
    public string Label { get; }

    /// <summary>The per-packet decisions, shareable between readers.</summary>
    public PacketAnalysis Analysis { get; }

    /// <summary>The counts so far.</summary>
    public AnalysisCounters Counters { get; }

    public RssConfiguration Configuration => Analysis.Configuration;

    public int QueueCount => Analysis.QueueCount;

    public IReadOnlyList<QueueStatistics> Queues => Counters.Queues;

    public long Packets => Counters.Packets;

    public long Bytes => Counters.Bytes;

    public FlowCounter Flows => Counters.Flows;

    /// <summary>Steers one captured packet and counts it.</summary>
    public PacketOutcome Add(ReadOnlySpan<byte> packet, LinkType linkType, int originalLength)
    {
        PacketOutcome outcome = Analysis.Analyze(packet, linkType, originalLength);
        Counters.Add(in outcome);
        return outcome;
    }

    /// <summary>The balance figures and warnings of what was counted so far.</summary>
    public AnalysisSummary Summarize()
    {
        var flows = new long[QueueCount];
        var bytes = new long[QueueCount];
        var packets = new long[QueueCount];
        for (int i = 0; i < QueueCount; i++)
        {
            flows[i] = Queues[i].Flows.Estimate();
            bytes[i] = Queues[i].Bytes;
            packets[i] = Queues[i].Packets;
        }

        return new AnalysisSummary(Balance.Of(flows), Balance.Of(bytes), Balance.Of(packets), Warnings());
    }

    private List<string> Warnings()
    {
        var warnings = new List<string>();
        long udp = Counters.CountOf(PacketNote.UdpAddressOnly);
        long tcp = Counters.CountOf(PacketNote.TcpAddressOnly);
        long fragments = Counters.CountOf(PacketNote.Fragment);
        long nonIP = Counters.CountOf(PacketNote.NonIP);
        long unhashed = Counters.CountOf(PacketNote.IPWithoutHash);
        long unsupported = Counters.CountOf(PacketNote.UnsupportedLink);
        int unclassified = Configuration.UnclassifiedQueue % QueueCount;
        if (udp > 0)
        {
            warnings.Add($"{udp} UDP packets were hashed on addresses only because the UDP hash types are off: all UDP flows between two hosts share one queue");
        }

        if (tcp > 0)
        {
            warnings.Add($"{tcp} TCP packets were hashed on addresses only because the TCP hash types are off");
        }

        if (fragments > 0)
        {
            warnings.Add($"{fragments} IP fragments were hashed on addresses only (fragments never get a TCP or UDP hash), so they may land on another queue than the unfragmented packets of their flow");
        }

        if (nonIP > 0)
        {
            warnings.Add($"{nonIP} non-IP packets got no hash and went to the unclassified queue {unclassified}");
        }

        if (unhashed > 0)
        {
            warnings.Add($"{unhashed} IP packets got no hash because none of their hash types is enabled; they went to the unclassified queue {unclassified}");
        }

        if (unsupported > 0)
        {
            warnings.Add($"{unsupported} packets use a link type this tool does not decode; they were counted as unclassified");
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
