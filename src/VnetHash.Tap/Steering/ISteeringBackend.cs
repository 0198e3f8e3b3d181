using VnetHash.Rss;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>
/// One way to have every frame's queue chosen and its hash report written (the series' kernel, our eBPF program, or
/// this process). Created with its first configuration already in force; <see cref="IDisposable.Dispose"/> takes
/// the steering off the device.
/// </summary>
internal interface ISteeringBackend : IDisposable
{
    SteeringBackendKind Kind { get; }

    /// <summary>What the readers route each frame with.</summary>
    IFrameRouter Router { get; }

    /// <summary>Puts <paramref name="configuration"/> in force atomically: each frame is steered and reported wholly by the old or the new one.</summary>
    /// <exception cref="Errors.TapException">Refused; the old configuration stays in force.</exception>
    void Apply(RssConfiguration configuration);
}
