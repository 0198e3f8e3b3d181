using System.CommandLine;
using Spectre.Console;
using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash analyze</c>: how a capture's packets would spread over RSS queues.</summary>
internal static class AnalyzeCommand
{
    private static readonly Argument<string[]> Captures = new("captures")
    {
        Description = "pcap or pcapng files, gzip-compressed or not; '-' reads standard input (default: the bundled sample capture).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<string?> Csv = new("--csv")
    {
        Description = "Write one CSV row per packet (index, time, src, dst, sport, dport, proto, hash, report, queue) to FILE ('-' for stdout).",
        HelpName = "FILE",
    };

    private static readonly Option<string?> Chart = new("--chart")
    {
        Description = "Save a bar chart per queue (of --chart-of) to FILE.png or FILE.svg, titled with the captures and the configuration.",
        HelpName = "FILE",
    };

    private static readonly Option<string> ChartOf = new("--chart-of")
    {
        Description = "What the chart shows per queue: flows (default), bytes or packets.",
        DefaultValueFactory = _ => "flows",
    };

    private static readonly Option<string?> CompareKeys = new("--compare-keys")
    {
        Description = "Compare keys (comma list of hex keys or presets) on the same capture.",
        HelpName = "K1,K2",
    };

    private static readonly Option<bool> CompareProfiles = new("--compare-profiles")
    {
        Description = "Compare the virtio-spec and linux-tun profiles on the same capture.",
    };

    public static Command Create()
    {
        var command = new Command("analyze", "Analyse how the packets of captures spread over RSS queues.")
        {
            Captures,
            CommonOptions.Json,
            Csv,
            Chart,
            ChartOf,
            CompareKeys,
            CompareProfiles,
        };
        foreach (Option option in CommonOptions.Configuration)
        {
            command.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () =>
            {
                string? compareKeys = parse.GetValue(CompareKeys);
                bool compareProfiles = parse.GetValue(CompareProfiles);
                if (compareKeys is not null && compareProfiles)
                {
                    throw new UsageException("--compare-keys and --compare-profiles cannot be combined");
                }

                int queues = parse.GetValue(CommonOptions.Queues);
                var analyzers = new List<CaptureAnalyzer>();
                if (compareKeys is not null)
                {
                    foreach (string key in compareKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        byte[] bytes = RssOptions.Key(parse, key);
                        string label = KeyParser.IsRandom(key) ? $"random {Hex.Format(bytes)[..8]}…" : key;
                        analyzers.Add(new CaptureAnalyzer(label, RssOptions.Build(parse, queues, bytes), queues));
                    }

                    if (analyzers.Count < 2)
                    {
                        throw new UsageException("--compare-keys needs at least two keys");
                    }
                }
                else
                {
                    RssConfiguration configuration = RssOptions.Build(parse, queues);
                    if (compareProfiles)
                    {
                        analyzers.Add(new CaptureAnalyzer("virtio-spec", configuration.WithProfile(HashProfile.VirtioSpec), queues));
                        analyzers.Add(new CaptureAnalyzer("linux-tun", configuration.WithProfile(HashProfile.LinuxTun), queues));
                    }
                    else
                    {
                        analyzers.Add(new CaptureAnalyzer(parse.GetValue(CommonOptions.Key) ?? "microsoft", configuration, queues));
                    }
                }

                string[] captures = parse.GetValue(Captures) ?? [];
                var chart = parse.GetValue(Chart) is string path ? new ChartRequest(path, QueueChart.ParseMetric(parse.GetValue(ChartOf)!)) : null;
                return Run(captures, analyzers, parse.GetValue(CommonOptions.Json), parse.GetValue(Csv), chart, stdout, stderr, token);
            });
        });
        return command;
    }

    public static ExitCode Run(IReadOnlyList<string> captures, IReadOnlyList<CaptureAnalyzer> analyzers, bool json, string? csvPath, ChartRequest? chart, TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        bool csvToStdout = csvPath == "-";
        if (csvToStdout && json)
        {
            throw new UsageException("--csv - and --json both write to standard output; write the CSV to a file, or leave out --json");
        }

        if (captures.Count(c => c == CaptureSource.StandardInputArgument) > 1)
        {
            throw new UsageException("captures: standard input ('-') can be read only once");
        }

        // Every name and output path is checked before the first packet is read.
        CaptureSource[] sources = captures.Count == 0 ? [CaptureSource.Sample] : [.. captures.Select(CaptureSource.Named)];
        if (chart is not null)
        {
            QueueChart.CheckPath(chart.Path);
        }

        using PacketCsvWriter? csv = csvPath is null ? null
            : new PacketCsvWriter(csvToStdout ? new StreamWriter(Console.OpenStandardOutput()) : new StreamWriter(OutputFile.Create(csvPath, "--csv")));
        var feed = new CaptureFeed(analyzers, csv);
        bool interrupted = false;
        try
        {
            if (!json && !csvToStdout && ConsoleFactory.IsTerminal(stdout) && captures.Count > 0)
            {
                ConsoleFactory.Create(stdout).Progress().Start(context =>
                {
                    foreach (CaptureSource source in sources)
                    {
                        ProgressTask task = context.AddTask(Markup.Escape(Path.GetFileName(source.Name)), maxValue: Math.Max(1, source.Length ?? 1));
                        feed.Read(source, position => task.Value = position, token);
                        task.Value = task.MaxValue;
                    }
                });
            }
            else
            {
                foreach (CaptureSource source in sources)
                {
                    feed.Read(source, null, token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: report what was read, as tcpdump does.
            interrupted = true;
        }

        IReadOnlyList<CaptureProblem> problems = feed.Problems;
        if (feed.Packets == 0 && problems.Count == sources.Length)
        {
            // Nothing could be read at all: errors, no empty report.
            foreach (CaptureProblem problem in problems)
            {
                stderr.WriteLine($"error: {problem.Message}");
            }

            return ExitCode.InvalidInput;
        }

        if (chart is not null)
        {
            QueueChart.Save(chart, sources.Select(s => s.Name).ToList(), analyzers);
        }

        if (!csvToStdout)
        {
            string[] names = [.. sources.Select(s => s.Name)];
            if (json)
            {
                AnalysisJsonRenderer.Render(stdout, names, analyzers, problems);
            }
            else
            {
                AnalysisTextRenderer.Render(ConsoleFactory.Create(stdout), names, analyzers);
            }
        }

        foreach (CaptureProblem problem in problems)
        {
            stderr.WriteLine($"warning: {problem.Message}");
        }

        if (interrupted)
        {
            stderr.WriteLine($"interrupted: the results cover the {feed.Packets} packets read before the signal");
            return ExitCode.Interrupted;
        }

        return problems.Count > 0 ? ExitCode.InvalidInput : ExitCode.Ok;
    }
}
