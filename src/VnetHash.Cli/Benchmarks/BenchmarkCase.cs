namespace VnetHash.Cli.Benchmarks;

/// <summary>One timed operation: <see cref="Run"/> performs it the given number of times.</summary>
/// <param name="Name">The stable result name (e.g. <c>toeplitz-12-table</c>, <c>frame-ipv4-tcp</c>).</param>
/// <param name="Run">Performs the operation n times and returns a value that depends on every run, so the work cannot be optimised away.</param>
public sealed record BenchmarkCase(string Name, Func<long, ulong> Run);
