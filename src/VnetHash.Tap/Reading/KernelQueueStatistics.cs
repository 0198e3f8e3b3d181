namespace VnetHash.Tap.Reading;

/// <summary>A snapshot of the counters of one reader of a kernel queue fd.</summary>
/// <param name="FramesRead">Frames read from the fd.</param>
/// <param name="BytesRead">Bytes read, headers included.</param>
/// <param name="DroppedTruncated">Frames dropped because they filled the whole read buffer (their tail may be lost) or were shorter than the header.</param>
public readonly record struct KernelQueueStatistics(long FramesRead, long BytesRead, long DroppedTruncated);
