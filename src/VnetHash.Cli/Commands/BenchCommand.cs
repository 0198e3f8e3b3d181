using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VnetHash.Cli.Benchmarks;
using VnetHash.Cli.Options;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash bench</c>: a quick in-process benchmark of every hashing path on this CPU.</summary>
internal static class BenchCommand
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(150);

    public static Command Create()
    {
        var command = new Command("bench", "Time every Toeplitz path on this CPU and the per-packet path (a fraction of a second each; BenchmarkDotNet in benchmarks/ gives rigorous numbers).")
        {
            CommonOptions.Json,
        };
        command.SetAction((parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () => Run(parse.GetValue(CommonOptions.Json), stdout, token));
        });
        return command;
    }

    public static ExitCode Run(bool json, TextWriter stdout, CancellationToken token)
    {
        List<BenchmarkCase> all = BenchmarkCatalog.Providers.SelectMany(provider => provider.Cases()).ToList();
        List<BenchmarkCase> cases = all.Where(c => c.SkipReason is null).ToList();
        List<BenchmarkCase> skipped = all.Where(c => c.SkipReason is not null).ToList();
        BenchmarkRunner.WarmUp(cases, token);
        var results = cases.Select(benchmark => (benchmark.Name, Nanoseconds: BenchmarkRunner.NanosecondsPerOperation(benchmark, Budget, token))).ToList();

        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteStartArray("results");
                foreach (var (name, ns) in results)
                {
                    w.WriteStartObject();
                    w.WriteString("name", name);
                    w.WriteNumber("ns_per_op", Math.Round(ns, 3));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
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
        foreach (var (name, ns) in results)
        {
            table.AddRow(name, ns.ToString("F2", CultureInfo.InvariantCulture), (1e3 / ns).ToString("F1", CultureInfo.InvariantCulture));
        }

        ConsoleFactory.Create(stdout).Write(table);
        foreach (BenchmarkCase benchmark in skipped)
        {
            stdout.WriteLine($"{benchmark.Name}: skipped, {benchmark.SkipReason}");
        }

        return ExitCode.Ok;
    }
}
