namespace VnetHash.Tap.Tests.SeriesKernel;

/// <summary>A theory that runs inside the series kernel; skipped with the reason when the kit is absent or the caller is not root.</summary>
public sealed class SeriesKernelTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> from <see cref="SeriesKernelKit.SkipReason"/>.</summary>
    public SeriesKernelTheoryAttribute()
    {
        if (SeriesKernelKit.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
