using VnetHash.Hashing;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// The counts of an analysis: per queue, per hash type and per noted fact, plus the distinct flows. Fixed size
/// however long the capture; two sets of counters of the same queue count merge into their union, so packets
/// can be counted in parts (by several readers) and added up.
/// </summary>
public sealed class AnalysisCounters
{
    private readonly QueueStatistics[] _queues;
    private readonly long[] _reports = new long[10];
    private readonly long[] _notes = new long[Enum.GetValues<PacketNote>().Length];

    public AnalysisCounters(int queueCount)
    {
        _queues = new QueueStatistics[queueCount];
        for (int i = 0; i < queueCount; i++)
        {
            _queues[i] = new QueueStatistics(i);
        }
    }

    public IReadOnlyList<QueueStatistics> Queues => _queues;

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    public FlowCounter Flows { get; } = new();

    /// <summary>Packets per hash report value 0..9.</summary>
    public ReadOnlySpan<long> ReportCounts => _reports;

    public long CountOf(PacketNote note) => _notes[(int)note];

    public void Add(in PacketOutcome outcome)
    {
        _queues[outcome.Queue].Add(in outcome);
        Packets++;
        Bytes += outcome.Length;
        if (outcome.Flow != 0)
        {
            Flows.Add(outcome.Flow);
        }

        _reports[(int)outcome.Hash.Report]++;
        _notes[(int)outcome.Note]++;
    }

    /// <summary>Adds what <paramref name="other"/> counted.</summary>
    public void Merge(AnalysisCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._queues.Length != _queues.Length)
        {
            throw new ArgumentException($"Counters of {other._queues.Length} queues cannot merge into counters of {_queues.Length}.", nameof(other));
        }

        for (int i = 0; i < _queues.Length; i++)
        {
            _queues[i].Merge(other._queues[i]);
        }

        Packets += other.Packets;
        Bytes += other.Bytes;
        Flows.Merge(other.Flows);
        for (int i = 0; i < _reports.Length; i++)
        {
            _reports[i] += other._reports[i];
        }

        for (int i = 0; i < _notes.Length; i++)
        {
            _notes[i] += other._notes[i];
        }
    }

    /// <summary>Packets of report <paramref name="report"/>.</summary>
    public long CountOf(HashReport report) => _reports[(int)report];
}
