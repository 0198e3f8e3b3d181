namespace VnetHash.Tap.Reading;

/// <summary>A snapshot of the counters of one reader of a kernel queue fd.</summary>
/// <param name="FramesRead">Frames read from the fd (the kernel counts each as transmitted by the device).</param>
/// <param name="BytesRead">Bytes read, headers included.</param>
/// <param name="DroppedTruncated">Frames dropped because they filled a whole read buffer (their tail may be lost) or were shorter than the header.</param>
/// <param name="DroppedMisrouted">
/// Frames dropped because the kernel queue they were read from is not the one their steering decision names (for
/// example a frame queued by the kernel's own queue selection before the steering was in place, or one steered
/// among fewer queues while a queue was detached). No frame is ever delivered on another queue than its decision's.
/// </param>
/// <param name="DroppedAtStop">Frames the kernel had already read into the reader's buffers when reading stopped (io_uring only), never handed over.</param>
/// <param name="BufferStalls">Times the reader had no free buffer and frames waited in the kernel (io_uring only).</param>
/// <param name="Engine">How the fd is read.</param>
public readonly record struct KernelQueueStatistics(long FramesRead, long BytesRead, long DroppedTruncated, long DroppedMisrouted, long DroppedAtStop, long BufferStalls, ReaderEngine Engine)
{
    /// <summary>Frames read but never given to a receive queue.</summary>
    public long Dropped => DroppedTruncated + DroppedMisrouted + DroppedAtStop;
}
