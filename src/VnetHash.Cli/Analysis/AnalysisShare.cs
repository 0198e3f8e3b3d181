using System.Runtime.CompilerServices;
using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// One thread's share of an analysis: counters of its own for every analyzer, added to the analyzers' counters when
/// the thread is done. Made on the thread that counts into it: objects one thread allocates lie together, away from
/// the others', so no two threads write to one cache line (sharing one cost a third of the analysis's time).
/// </summary>
internal sealed class AnalysisShare(IReadOnlyList<CaptureAnalyzer> analyzers)
{
    private readonly PacketAnalysis[] _analyses = [.. analyzers.Select(a => a.Analysis)];
    private readonly AnalysisCounters[] _counters = [.. analyzers.Select(a => new AnalysisCounters(a.QueueCount))];

    /// <summary>Counts one packet under every analysis, each into its own counters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(ReadOnlySpan<byte> data, LinkType linkType, int originalLength)
    {
        PacketAnalysis[] analyses = _analyses;
        AnalysisCounters[] counters = _counters;
        for (int i = 0; i < analyses.Length; i++)
        {
            analyses[i].Count(data, linkType, originalLength, counters[i]);
        }
    }

    /// <summary>Counts a batch of packets (<see cref="CaptureReader.ReadBatches"/>) under every analysis.</summary>
    public void Count(ReadOnlySpan<byte> bytes, ReadOnlySpan<BufferedPacket> packets)
    {
        for (int i = 0; i < _analyses.Length; i++)
        {
            _analyses[i].Count(bytes, packets, _counters[i]);
        }
    }

    /// <summary>Adds what this share counted to the analyzers' counters.</summary>
    public void MergeIntoAnalyzers()
    {
        for (int i = 0; i < analyzers.Count; i++)
        {
            analyzers[i].Counters.Merge(_counters[i]);
        }
    }
}
