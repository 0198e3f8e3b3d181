using VnetHash.SeriesKernel.Runner.Infrastructure;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>One scenario run inside the series kernel; it reports each result as one JSON line.</summary>
internal interface IScenario
{
    string Name { get; }

    void Run(Report report, ScenarioOptions options);
}
