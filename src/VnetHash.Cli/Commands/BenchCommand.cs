using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VnetHash.Cli.Benchmarks;
using VnetHash.Cli.Options;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash bench</c>: a quick in-process benchmark of every hashing path on this CPU.</summary>
internal static class BenchCommand
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(100);

    // Every case is timed in two passes and keeps its better one: a busy moment on the machine then costs a case one
    // pass, not its figure. (The warm-up before them waits for the runtime's optimised code; see TieredWarmUp.)
    private const int Passes = 2;

    private static readonly Option<string?> Filter = new("--filter")
    {
        Description = "Run only the cases whose name contains this text (e.g. toeplitz-12, frame-).",
    };

    public static Command Create()
    {
        var command = new Command("bench", "Time every Toeplitz path on this CPU and the per-packet path (a fraction of a second each; BenchmarkDotNet in benchmarks/ gives rigorous numbers). The Toeplitz path a default key takes is chosen by measurement; VNETHASH_TOEPLITZ=<path> forces one.")
        {
            CommonOptions.Json,
            Filter,
        };
        command.SetAction((parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () => Run(parse.GetValue(CommonOptions.Json), parse.GetValue(Filter), stdout, token));
        });
        return command;
    }

    public static ExitCode Run(bool json, string? filter, TextWriter stdout, CancellationToken token)
    {
        List<BenchmarkCase> all = BenchmarkCatalog.Providers.SelectMany(provider => provider.Cases())
            .Where(c => filter is null || c.Name.Contains(filter, StringComparison.Ordinal)).ToList();
        List<BenchmarkCase> cases = all.Where(c => c.SkipReason is null).ToList();
        List<BenchmarkCase> skipped = all.Where(c => c.SkipReason is not null).ToList();
        BenchmarkRunner.WarmUp(cases, token);
        (double[] best, int[] cpus) = CpuRotation.Run(rotation =>
        {
            double[] bestRuns = new double[cases.Count];
            Array.Fill(bestRuns, double.MaxValue);
            for (int pass = 0; pass < Passes; pass++)
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    bestRuns[i] = Math.Min(bestRuns[i], BenchmarkRunner.NanosecondsPerOperation(cases[i], Budget, rotation, token));
                }
            }

            return (bestRuns, rotation.Visited.ToArray());
        });

        var results = cases.Select((benchmark, i) => (Case: benchmark, Nanoseconds: best[i])).ToList();

        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteStartArray("results");
                foreach (var (benchmark, ns) in results)
                {
                    w.WriteStartObject();
                    w.WriteString("name", benchmark.Name);
                    w.WriteNumber("ns_per_op", Math.Round(ns, 3));
                    if (benchmark.Path is { } path)
                    {
                        w.WriteString("path", path);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("cpus");
                foreach (int cpu in cpus)
                {
                    w.WriteNumberValue(cpu);
                }

                w.WriteEndArray();
                w.WriteString("build", ToolBuild.Name);
                w.WriteStartArray("skipped");
                foreach (BenchmarkCase benchmark in skipped)
                {
                    w.WriteStartObject();
                    w.WriteString("name", benchmark.Name);
                    w.WriteString("reason", benchmark.SkipReason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCode.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Benchmark");
        table.AddColumn(new TableColumn("ns/op").RightAligned());
        table.AddColumn(new TableColumn("Mops/s").RightAligned());
        foreach (var (benchmark, ns) in results)
        {
            string name = benchmark.Path is { } path ? $"{benchmark.Name} ({path})" : benchmark.Name;
            table.AddRow(Markup.Escape(name), ns.ToString("F2", CultureInfo.InvariantCulture), (1e3 / ns).ToString("F1", CultureInfo.InvariantCulture));
        }

        ConsoleFactory.Create(stdout).Write(table);
        stdout.WriteLine($"Build: {ToolBuild.Name}.");
        if (cpus.Length > 1)
        {
            stdout.WriteLine($"Runs taken in turn on CPUs {string.Join(", ", cpus)}; each figure is the best run.");
        }

        foreach (BenchmarkCase benchmark in skipped)
        {
            stdout.WriteLine($"{benchmark.Name}: skipped, {benchmark.SkipReason}");
        }

        return ExitCode.Ok;
    }
}
