namespace VnetHash.Tap.Reading;

/// <summary>
/// The counters one reader keeps for one receive queue. Each reader writes only its own, so readers of different
/// kernel queues never share a cache line on the frame path; a snapshot sums them.
/// </summary>
internal sealed class ReceiveCounters
{
    internal const int ReportBuckets = 11;

    internal long Delivered;
    internal long Bytes;
    internal long DroppedQueueFull;
    internal long DroppedStopped;
    internal long Paused;
    internal readonly long[] Reports = new long[ReportBuckets];

    internal void CountDelivered(int length, int report)
    {
        Delivered++;
        Bytes += length;
        Reports[(uint)report < ReportBuckets - 1 ? report : ReportBuckets - 1]++;
    }
}
