using Xunit;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>A theory that needs root (real tun devices, network namespaces); it is skipped with the reason otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the effective uid is not 0.</summary>
    public RootTheoryAttribute()
    {
        if (!RootFactAttribute.IsRoot)
        {
            Skip = "needs root: the test creates a network namespace and tun devices inside it (CAP_SYS_ADMIN, CAP_NET_ADMIN)";
        }
    }
}
