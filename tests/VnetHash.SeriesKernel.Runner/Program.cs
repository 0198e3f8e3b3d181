using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.SeriesKernel.Runner.Scenarios;

// Runs one scenario against the series kernel it is started in (../shared/series-kernel/run -- dotnet <this dll>
// SCENARIO [options]): one JSON line per result on stdout, exit code 0 when all passed, 1 when any failed, 2 for a
// usage error, 3 when the scenario could not run at all.
IScenario[] scenarios =
[
    new ProbeScenario(),
    new SelftestRxScenario(),
    new ModesScenario(),
    new DeletedScenario(),
    new OrderingsScenario(),
    new AgreementScenario(),
    new MacvtapScenario(),
    new RssTapScenario(),
    new AgreementEbpfScenario(),
    new CliProbeScenario(),
    new BoundsScenario(),
];

string names = string.Join(", ", scenarios.Select(s => s.Name));
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: VnetHash.SeriesKernel.Runner SCENARIO [--expect v5|v12] [--vectors PATH] [--frames N] [--seed N]; scenarios: {names}");
    return 2;
}

IScenario? scenario = scenarios.FirstOrDefault(s => s.Name == args[0]);
if (scenario is null)
{
    Console.Error.WriteLine($"unknown scenario '{args[0]}'; scenarios: {names}");
    return 2;
}

ScenarioOptions options;
try
{
    options = ScenarioOptions.Parse(args.AsSpan(1));
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

var report = new Report(scenario.Name);
try
{
    scenario.Run(report, options);
}
#pragma warning disable CA1031 // The runner's contract is a message and an exit code, whatever went wrong.
catch (Exception error)
#pragma warning restore CA1031
{
    report.Result(report.Line("aborted").Add("error", error.GetType().Name), error.ToString());
    Console.Error.WriteLine($"{scenario.Name}: aborted: {error.Message}");
    return 3;
}

Console.Error.WriteLine($"{scenario.Name}: {report.Passed} passed, {report.Failed} failed");
return report.Failed == 0 && report.Passed > 0 ? 0 : 1;
