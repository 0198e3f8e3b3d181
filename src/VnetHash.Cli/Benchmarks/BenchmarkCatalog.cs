namespace VnetHash.Cli.Benchmarks;

/// <summary>Every benchmark provider of the tool, in output order.</summary>
public static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmarkProvider> Providers { get; } =
    [
        new ToeplitzBenchmarks(),
        new FrameBenchmarks(),
        new EbpfBenchmarks(),
    ];
}
