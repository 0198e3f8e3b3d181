namespace VnetHash.Cli.Analysis;

/// <summary>What one queue received.</summary>
public sealed class QueueStatistics
{
    public QueueStatistics(int queue)
    {
        Queue = queue;
    }

    public int Queue { get; }

    public long Packets { get; private set; }

    /// <summary>Bytes on the wire (original lengths).</summary>
    public long Bytes { get; private set; }

    /// <summary>Distinct 5-tuples, estimated in fixed memory.</summary>
    public FlowCounter Flows { get; } = new();

    internal void Add(in PacketOutcome outcome)
    {
        Packets++;
        Bytes += outcome.Length;
        if (outcome.Flow != 0)
        {
            Flows.Add(outcome.Flow);
        }
    }

    internal void Merge(QueueStatistics other)
    {
        Packets += other.Packets;
        Bytes += other.Bytes;
        Flows.Merge(other.Flows);
    }
}
