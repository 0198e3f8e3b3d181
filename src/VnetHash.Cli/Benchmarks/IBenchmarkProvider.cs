namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// A family of benchmark cases available on this host. <see cref="BenchmarkCatalog"/> lists the providers;
/// a new path joins by adding its provider there.
/// </summary>
public interface IBenchmarkProvider
{
    /// <summary>The cases this host can run; none when the path is unavailable here.</summary>
    IEnumerable<BenchmarkCase> Cases();
}
