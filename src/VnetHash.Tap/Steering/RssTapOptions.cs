using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>How an <see cref="RssTap"/> steers and reads.</summary>
public sealed record RssTapOptions
{
    /// <summary>The backend; <see cref="SteeringBackendKind.Auto"/> takes the best that works and records why.</summary>
    public SteeringBackendKind Backend { get; init; } = SteeringBackendKind.Auto;

    /// <summary>
    /// The number of receive queues. Null: one per attached kernel queue. The kernel and eBPF backends need exactly
    /// that; the userspace backend may spread the kernel queue(s) over any number from 1 to 65536.
    /// </summary>
    public int? QueueCount { get; init; }

    /// <summary>
    /// Whether to set the link up once the configuration is in force and every queue has its reader (the order that
    /// keeps any frame from reaching the device before its steering). False leaves the link as it is.
    /// </summary>
    public bool BringUp { get; init; } = true;

    /// <summary>How the queues are read and what the receive queues hold.</summary>
    public TapReaderOptions Reader { get; init; } = new();
}
