namespace VnetHash.Tap.Steering;

/// <summary>Where the RSS queue decision of a received frame is made.</summary>
public enum SteeringBackendKind
{
    /// <summary>The best that works here: <see cref="Kernel"/>, else <see cref="Ebpf"/>, else <see cref="Userspace"/>.</summary>
    Auto,
    /// <summary>The kernel's own RSS and hash report (the series' ioctls, v12 or v5); the header is left as the kernel wrote it.</summary>
    Kernel,
    /// <summary>The steering program (<c>TUNSETSTEERINGEBPF</c>) picks the kernel queue; the hash report is computed on read.</summary>
    Ebpf,
    /// <summary>The frames of the kernel queue(s) are hashed, steered and reported in this process.</summary>
    Userspace,
}
