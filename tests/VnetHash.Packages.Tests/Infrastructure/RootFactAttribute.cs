namespace VnetHash.Packages.Tests.Infrastructure;

/// <summary>A fact that needs root (network namespaces, TAP devices, bpf(2)) and skips, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
        : this("creates a network namespace, a TAP device inside it and loads an eBPF program")
    {
    }

    /// <param name="why">What the test does that needs root, for the skip reason.</param>
    public RootFactAttribute(string why)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = $"needs root: {why}";
        }
    }
}
