namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>A fact that needs root (network namespaces, TAP devices) and skips, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public const string Reason = "needs root: creates a network namespace and TAP devices inside it";

    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = Reason;
        }
    }
}
