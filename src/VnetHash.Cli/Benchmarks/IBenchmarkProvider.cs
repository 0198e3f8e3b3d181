namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// A family of benchmark cases available on this host. <see cref="BenchmarkCatalog"/> lists the providers;
/// a new path joins by adding its provider there.
/// </summary>
public interface IBenchmarkProvider
{
    /// <summary>The cases of this family; those the host cannot run carry their reason (<see cref="BenchmarkCase.Skipped"/>).</summary>
    IEnumerable<BenchmarkCase> Cases();
}
