namespace VnetHash.Cli.Analysis;

/// <summary>What one queue received.</summary>
public sealed class QueueStatistics
{
    public QueueStatistics(int queue)
    {
        Queue = queue;
    }

    public int Queue { get; }

    public long Packets { get; internal set; }

    /// <summary>Bytes on the wire (original lengths).</summary>
    public long Bytes { get; internal set; }

    /// <summary>Distinct 5-tuples, estimated in fixed memory.</summary>
    public FlowCounter Flows { get; } = new();
}
