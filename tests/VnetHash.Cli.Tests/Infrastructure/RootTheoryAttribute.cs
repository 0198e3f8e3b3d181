namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>A theory that needs root (network namespaces, TAP devices) and skips, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = RootFactAttribute.Reason;
        }
    }
}
