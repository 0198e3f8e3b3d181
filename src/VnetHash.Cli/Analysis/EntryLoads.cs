namespace VnetHash.Cli.Analysis;

/// <summary>What to balance a table by: packets, bytes, or flows (each flow counted once, on the entry its hash selects).</summary>
internal enum LoadMeasure
{
    Packets,
    Bytes,
    Flows,
}

/// <summary>
/// The load each indirection-table entry carries in a capture: the packets, bytes and distinct flows whose hashes
/// select it. Packets without a hash bypass the table; their load is kept per queue, as a load no table can move.
/// Distinct flows are counted exactly, so memory grows with the number of flows (kept only when a table is asked for).
/// </summary>
internal sealed class EntryLoads(int tableLength, int queueCount)
{
    private readonly long[] _packets = new long[tableLength];
    private readonly long[] _bytes = new long[tableLength];
    private readonly long[] _flows = new long[tableLength];
    private readonly long[][] _fixed = [new long[queueCount], new long[queueCount], new long[queueCount]];
    private readonly HashSet<ulong> _seen = [];

    public void Add(in PacketOutcome outcome, int mask)
    {
        bool isNew = outcome.Flow != 0 && _seen.Add(outcome.Flow);
        if (!outcome.Hash.HasHash)
        {
            _fixed[(int)LoadMeasure.Packets][outcome.Queue]++;
            _fixed[(int)LoadMeasure.Bytes][outcome.Queue] += outcome.Length;
            _fixed[(int)LoadMeasure.Flows][outcome.Queue] += isNew ? 1 : 0;
            return;
        }

        int entry = (int)(outcome.Hash.Value & (uint)mask);
        _packets[entry]++;
        _bytes[entry] += outcome.Length;
        _flows[entry] += isNew ? 1 : 0;
    }

    public long[] Entries(LoadMeasure measure) => measure switch
    {
        LoadMeasure.Packets => _packets,
        LoadMeasure.Bytes => _bytes,
        _ => _flows,
    };

    /// <summary>Per queue, the load of packets that got no hash (the unclassified queue's share).</summary>
    public long[] Unmovable(LoadMeasure measure) => _fixed[(int)measure];
}
