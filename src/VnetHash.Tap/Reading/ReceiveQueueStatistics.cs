using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>A snapshot of one receive queue's counters.</summary>
/// <param name="Delivered">Frames put into the queue for the consumer.</param>
/// <param name="Bytes">Bytes of those frames, headers included.</param>
/// <param name="DroppedConsumerFull">Frames dropped because the queue was full (<see cref="FullQueueBehavior.Drop"/> only).</param>
/// <param name="Paused">Times the queue became full and paused its reader (<see cref="FullQueueBehavior.Pause"/> only).</param>
/// <param name="Queued">Frames waiting for the consumer now.</param>
/// <param name="ReportCounts">Delivered frames per <c>hash_report</c> value 0–9; index 10 counts values above 9.</param>
public readonly record struct ReceiveQueueStatistics(long Delivered, long Bytes, long DroppedConsumerFull, long Paused, int Queued, IReadOnlyList<long> ReportCounts)
{
    /// <summary>Delivered frames with the given report.</summary>
    public long CountOf(HashReport report) => (int)report < ReportCounts.Count - 1 ? ReportCounts[(int)report] : 0;
}
