namespace VnetHash.Tap.Probing;

/// <summary>How far <see cref="HostProbe"/> goes.</summary>
public sealed record HostProbeOptions
{
    /// <summary>
    /// Whether to create a throwaway tap to ask the kernel (hashing ioctls, steering program). The tap is created
    /// exclusively under a fresh name (<c>vnhprobe…</c>, so no existing interface is ever opened), transient, with its
    /// link left down (so it sends and receives nothing), in the network namespace of the calling thread, and it is
    /// deleted by closing its fds before the probe returns. Call from a thread inside a private namespace to keep even
    /// that out of the host's. Default false: nothing is created.
    /// </summary>
    public bool CreateProbeDevice { get; init; }
}
