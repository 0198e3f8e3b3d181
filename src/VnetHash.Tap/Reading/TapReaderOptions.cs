namespace VnetHash.Tap.Reading;

/// <summary>How readers take frames from the kernel queues and what the receive queues they fill hold.</summary>
public sealed record TapReaderOptions
{
    /// <summary>The most frames one batch holds (handed to a handler at once, or published to a receive queue at once).</summary>
    public const int MaxBatchFrames = 1024;

    /// <summary>How the kernel queue fds are read; <see cref="ReaderEngine.Auto"/> takes io_uring where the kernel has it (<see cref="ReaderEngineSupport"/>).</summary>
    public ReaderEngine Engine { get; init; } = ReaderEngine.Auto;

    /// <summary>The most frames a reader takes from its queue before handing them over (1 to <see cref="MaxBatchFrames"/>).</summary>
    public int BatchFrames { get; init; } = 256;

    /// <summary>
    /// Buffers of the io_uring reader of each queue (a power of two, 16 to 32768): how many frames the kernel can
    /// hand over while a batch is being handled. Each is as large as the longest frame the device can deliver.
    /// </summary>
    public int IoUringBuffers { get; init; } = 1024;

    /// <summary>Frames a receive queue holds before it counts as full (the pause threshold); it resumes at half.</summary>
    public int MaxQueuedFrames { get; init; } = 4096;

    /// <summary>
    /// Memory a receive queue's waiting frames may hold, in whole blocks (at least one block), before it counts as
    /// full; it resumes at half. Frames that arrive a few per batch share blocks while the consumer lags, so the
    /// frame limit is reached first for small frames.
    /// </summary>
    public long MaxQueuedBytes { get; init; } = 4 << 20;

    /// <summary>What to do when a receive queue is full.</summary>
    public FullQueueBehavior WhenFull { get; init; } = FullQueueBehavior.Pause;

    /// <summary>Throws a named <see cref="ArgumentOutOfRangeException"/> for a value that breaks a rule.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Engine))
        {
            throw new ArgumentOutOfRangeException(nameof(Engine), Engine, "unknown reader engine");
        }

        if (BatchFrames < 1 || BatchFrames > MaxBatchFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchFrames), BatchFrames, $"must be from 1 to {MaxBatchFrames}");
        }

        if (IoUringBuffers < 16 || IoUringBuffers > 32768 || (IoUringBuffers & (IoUringBuffers - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IoUringBuffers), IoUringBuffers, "must be a power of two from 16 to 32768");
        }

        if (MaxQueuedFrames < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedFrames), MaxQueuedFrames, "must be at least 1");
        }

        if (MaxQueuedBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedBytes), MaxQueuedBytes, "must be at least 1");
        }

        if (!Enum.IsDefined(WhenFull))
        {
            throw new ArgumentOutOfRangeException(nameof(WhenFull), WhenFull, "unknown behaviour");
        }
    }
}
