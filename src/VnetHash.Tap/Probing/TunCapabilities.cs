using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Probing;

/// <summary>What this host offers the TAP layer (the answer of <c>vnethash probe</c>).</summary>
/// <param name="KernelRelease">The running kernel (<c>/proc/sys/kernel/osrelease</c>).</param>
/// <param name="IsRoot">Whether the effective uid is 0.</param>
/// <param name="Capabilities">The effective capabilities.</param>
/// <param name="TunDevice">Whether <c>/dev/net/tun</c> exists and opens, and if not why.</param>
/// <param name="UnprivilegedBpfDisabled">The <c>kernel.unprivileged_bpf_disabled</c> sysctl, or null when unreadable.</param>
/// <param name="Device">The answers of a throwaway tap, or null when no device probe was asked for or possible.</param>
/// <param name="DeviceProbeSkipped">Why there is no device probe, or null.</param>
/// <param name="Reader">How readers take frames from the queues here (io_uring or poll+read) and why.</param>
public sealed record TunCapabilities(
    string KernelRelease,
    bool IsRoot,
    EffectiveCapabilities Capabilities,
    TunDeviceAccess TunDevice,
    int? UnprivilegedBpfDisabled,
    TunDeviceProbe? Device,
    string? DeviceProbeSkipped,
    ReaderEngineSupport Reader);
