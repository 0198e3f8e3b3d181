using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>A snapshot of one receive queue's counters, summed over the readers that feed it.</summary>
/// <param name="Delivered">Frames handed over: put into the queue for its consumer, or given to the handler.</param>
/// <param name="Bytes">Bytes of those frames, headers included.</param>
/// <param name="DroppedQueueFull">Frames dropped because the queue was full (<see cref="FullQueueBehavior.Drop"/> only).</param>
/// <param name="DroppedStopped">Frames already read but dropped because reading stopped while the queue was full.</param>
/// <param name="Paused">Times the queue became full and paused its readers (<see cref="FullQueueBehavior.Pause"/> only).</param>
/// <param name="Queued">Frames waiting for the consumer now (counted by whole blocks: a block being read is no longer queued).</param>
/// <param name="ReportCounts">Delivered frames per <c>hash_report</c> value 0–9; index 10 counts values above 9.</param>
public readonly record struct ReceiveQueueStatistics(long Delivered, long Bytes, long DroppedQueueFull, long DroppedStopped, long Paused, int Queued, IReadOnlyList<long> ReportCounts)
{
    /// <summary>Delivered frames with the given report.</summary>
    public long CountOf(HashReport report) => (int)report < ReportCounts.Count - 1 ? ReportCounts[(int)report] : 0;

    /// <summary>Frames this queue was given but did not hand over.</summary>
    public long Dropped => DroppedQueueFull + DroppedStopped;
}
