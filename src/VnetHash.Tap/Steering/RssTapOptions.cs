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

    /// <summary>Receive-queue limits and behaviour.</summary>
    public TapReaderOptions Reader { get; init; } = new();
}
