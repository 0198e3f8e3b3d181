using VnetHash.Tap.Ebpf;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>
/// A fact that loads BPF programs: it needs root (or CAP_BPF) and a kernel that permits bpf(2); otherwise it is
/// skipped with the reason. Whether bpf(2) works is probed once by loading the two-instruction program.
/// </summary>
public sealed class BpfFactAttribute : FactAttribute
{
    internal static readonly Lazy<string?> SkipReason = new(Probe);

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when BPF programs cannot be loaded here.</summary>
    public BpfFactAttribute()
    {
        if (SkipReason.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux: bpf(2) is a Linux system call";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root: bpf(2) is limited to CAP_BPF (kernel.unprivileged_bpf_disabled)";
        }

        try
        {
            using BpfProgram program = BpfProgram.Load(BpfProgramSpec.Trivial());
            return null;
        }
        catch (BpfException e)
        {
            return $"bpf(2) is not permitted here: {e.Message}";
        }
    }
}

/// <summary>A theory that loads BPF programs, skipped for the reason <see cref="BpfFactAttribute"/> gives.</summary>
public sealed class BpfTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when BPF programs cannot be loaded here.</summary>
    public BpfTheoryAttribute()
    {
        if (BpfFactAttribute.SkipReason.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
