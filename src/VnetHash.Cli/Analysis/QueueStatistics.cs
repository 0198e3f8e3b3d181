using System.Runtime.CompilerServices;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int length, ulong flow)
    {
        Packets++;
        Bytes += length;
        if (flow != 0)
        {
            Flows.Add(flow);
        }
    }

    internal void Merge(QueueStatistics other)
    {
        Packets += other.Packets;
        Bytes += other.Bytes;
        Flows.Merge(other.Flows);
    }
}
