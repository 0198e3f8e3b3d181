namespace VnetHash.Tap.Reading;

/// <summary>Limits and behaviour of the receive queues a reader fills.</summary>
public sealed record TapReaderOptions
{
    /// <summary>Frames a receive queue holds before it counts as full (the pause threshold); it resumes at half.</summary>
    public int MaxQueuedFrames { get; init; } = 1024;

    /// <summary>Bytes a receive queue holds before it counts as full (the pause threshold); it resumes at half.</summary>
    public long MaxQueuedBytes { get; init; } = 4 << 20;

    /// <summary>What to do when a receive queue is full.</summary>
    public FullQueueBehavior WhenFull { get; init; } = FullQueueBehavior.Pause;

    /// <summary>Throws a named <see cref="ArgumentOutOfRangeException"/> for a value that breaks a rule.</summary>
    public void Validate()
    {
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
