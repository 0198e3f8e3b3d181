using Xunit;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>A fact that needs root (real tun devices, network namespaces); it is skipped with the reason otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the effective uid is not 0.</summary>
    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "needs root: the test creates a network namespace and tun devices inside it (CAP_SYS_ADMIN, CAP_NET_ADMIN)";
        }
    }

    /// <summary>Whether the process runs with effective uid 0.</summary>
    public static bool IsRoot => Native.GetEuid() == 0;
}
