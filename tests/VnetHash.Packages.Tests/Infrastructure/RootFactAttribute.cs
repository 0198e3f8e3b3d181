namespace VnetHash.Packages.Tests.Infrastructure;

/// <summary>A fact that needs root (network namespaces, TAP devices, bpf(2)) and skips, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root: creates a network namespace, a TAP device inside it and loads an eBPF program";
        }
    }
}
