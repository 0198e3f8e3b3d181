namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// One timed operation: either <see cref="Run"/> performs it n times and is timed by the thread's CPU time, or
/// <see cref="SelfTimed"/> measures it by other means (the kernel's own clock for eBPF programs) and returns
/// nanoseconds per operation.
/// </summary>
/// <param name="Name">The stable result name (e.g. <c>toeplitz-12-table</c>, <c>frame-ipv4-tcp</c>).</param>
/// <param name="Run">Performs the operation n times and returns a value that depends on every run, so the work cannot be optimised away.</param>
/// <param name="SelfTimed">Measures the operation itself; used instead of <paramref name="Run"/> when set.</param>
/// <param name="SkipReason">Why this host cannot run the case; it is listed, not run, when set.</param>
/// <param name="Path">The code path the case ran on when the library chose it (the Toeplitz path of an Auto key).</param>
public sealed record BenchmarkCase(string Name, Func<long, ulong> Run, Func<double>? SelfTimed = null, string? SkipReason = null, string? Path = null)
{
    /// <summary>A case timed by its own clock.</summary>
    public static BenchmarkCase Measured(string name, Func<double> measure) => new(name, n => (ulong)n, measure);

    /// <summary>A case this host cannot run, and why.</summary>
    public static BenchmarkCase Skipped(string name, string reason) =>
        new(name, _ => throw new InvalidOperationException($"{name} is skipped: {reason}"), SkipReason: reason);
}
