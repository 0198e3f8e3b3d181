using System.CommandLine;
using System.Globalization;
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
        Description = "pcap or pcapng files, gzip-compressed or not; '-' reads standard input (default: the bundled sample capture, or the live capture of -i).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<string?> Interface = new("--interface", "-i")
    {
        Description = "Capture live from interface IF through libpcap (root or CAP_NET_RAW), until --duration, --count or Ctrl-C, instead of reading captures.",
        HelpName = "IF",
    };

    private static readonly Option<double?> Duration = NumberOptions.Seconds("--duration", "With -i: stop after this many seconds.");

    private static readonly Option<long?> Count = NumberOptions.OptionalWhole("--count", 1L, long.MaxValue, "With -i: stop after this many packets (that pass --filter).");

    private static readonly Option<string?> Filter = new("--filter")
    {
        Description = "Analyse only the packets that match this pcap filter expression (as tcpdump takes it, compiled by libpcap), in capture files and live alike.",
        HelpName = "EXPR",
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

    private static readonly Option<bool> SuggestTable = new("--suggest-table")
    {
        Description = "Suggest the indirection table that balances this traffic best (flows stay whole), with the predicted imbalance before and after, the virtio rss_config and the closest 'ethtool -X IF weight ...' line.",
    };

    private static readonly Option<string> By = new("--by")
    {
        Description = "What --suggest-table balances: packets (default), bytes or flows.",
        DefaultValueFactory = _ => "packets",
    };

    public static Command Create()
    {
        var command = new Command("analyze", "Analyse how the packets of captures spread over RSS queues; with --tunnel-types, also hashed on outer headers only, to compare.")
        {
            Captures,
            CommonOptions.Json,
            Csv,
            Chart,
            ChartOf,
            CompareKeys,
            CompareProfiles,
            SuggestTable,
            By,
            Interface,
            Duration,
            Count,
            Filter,
            CommonOptions.Netns,
        };
        By.AcceptOnlyFromAmong("packets", "bytes", "flows");
        foreach (Option option in CommonOptions.Configuration)
        {
            command.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            string? netns = parse.GetValue(CommonOptions.Netns);
            if (NamespaceExec.MustEnter(netns))
            {
                return NamespaceExec.RunInsideAsync(netns!, stderr, token);
            }

            return CommandRunner.RunAsync(stderr, () =>
            {
                CaptureRequest input = ReadInput(parse);
                string? compareKeys = parse.GetValue(CompareKeys);
                bool compareProfiles = parse.GetValue(CompareProfiles);
                if (compareKeys is not null && compareProfiles)
                {
                    throw new UsageException("--compare-keys and --compare-profiles cannot be combined");
                }

                int queues = NicOptions.QueueCount(parse);
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
                    TunnelTypes tunnels = configuration.TunnelTypes;
                    if (compareProfiles)
                    {
                        // linux-tun takes no tunnel types: it descends into tunnels by the series kernel's own rules.
                        analyzers.Add(new CaptureAnalyzer("virtio-spec", configuration.WithProfile(HashProfile.VirtioSpec), queues));
                        analyzers.Add(new CaptureAnalyzer("linux-tun", configuration.WithTunnels(TunnelTypes.None).WithProfile(HashProfile.LinuxTun), queues));
                    }
                    else if (tunnels != TunnelTypes.None)
                    {
                        // The same capture hashed on outer headers, its flows still counted inside the tunnels: what
                        // inner-header hashing changes.
                        analyzers.Add(new CaptureAnalyzer($"inner headers of {TunnelTypesParser.Format(tunnels)}", configuration, queues));
                        analyzers.Add(new CaptureAnalyzer("outer headers only", configuration.WithTunnels(TunnelTypes.None), queues, flowTunnels: tunnels));
                    }
                    else
                    {
                        analyzers.Add(new CaptureAnalyzer(parse.GetValue(CommonOptions.Key) ?? "microsoft", configuration, queues));
                    }
                }

                LoadMeasure? suggest = null;
                if (parse.GetValue(SuggestTable))
                {
                    if (analyzers.Count > 1)
                    {
                        throw new UsageException("--suggest-table works on one configuration; leave out --compare-keys and --compare-profiles");
                    }

                    suggest = Enum.Parse<LoadMeasure>(parse.GetValue(By)!, ignoreCase: true);
                    analyzers[0].Loads = new EntryLoads(analyzers[0].Configuration.IndirectionTable.Length, queues);
                }

                var chart = parse.GetValue(Chart) is string path ? new ChartRequest(path, QueueChart.ParseMetric(parse.GetValue(ChartOf)!)) : null;
                return Run(input, analyzers, parse.GetValue(CommonOptions.Json), parse.GetValue(Csv), chart, stdout, stderr, token, suggest);
            });
        });
        return command;
    }

    private static CaptureRequest ReadInput(ParseResult parse)
    {
        var request = new CaptureRequest(parse.GetValue(Captures) ?? [], parse.GetValue(Interface), parse.GetValue(Filter), parse.GetValue(Count), parse.GetValue(Duration));
        if (request.Interface is not null && request.Files.Count > 0)
        {
            throw new UsageException($"-i captures live from {request.Interface}; leave out the capture files ({string.Join(", ", request.Files)}), or -i");
        }

        if (request.Interface is null && (request.Count is not null || request.Duration is not null))
        {
            throw new UsageException("--duration and --count end a live capture; give the interface with -i");
        }

        if (request.Filter is { } filter && string.IsNullOrWhiteSpace(filter))
        {
            throw new UsageException("--filter: the expression is empty; give a pcap filter such as 'tcp port 443'");
        }

        return request;
    }

    public static ExitCode Run(CaptureRequest input, IReadOnlyList<CaptureAnalyzer> analyzers, bool json, string? csvPath, ChartRequest? chart, TextWriter stdout, TextWriter stderr, CancellationToken token, LoadMeasure? suggest = null)
    {
        bool csvToStdout = csvPath == "-";
        if (csvToStdout && json)
        {
            throw new UsageException("--csv - and --json both write to standard output; write the CSV to a file, or leave out --json");
        }

        IReadOnlyList<string> captures = input.Files;
        if (captures.Count(c => c == CaptureSource.StandardInputArgument) > 1)
        {
            throw new UsageException("captures: standard input ('-') can be read only once");
        }

        // Every name, the filter and every output path are checked before the first packet is read.
        CaptureSource[] sources = input.Interface is not null ? [] : captures.Count == 0 ? [CaptureSource.Sample] : [.. captures.Select(CaptureSource.Named)];
        using PacketFilter? filter = input.Filter is not null && input.Interface is null ? PacketFilter.Compile(input.Filter) : null;
        if (chart is not null)
        {
            QueueChart.CheckPath(chart.Path);
        }

        using LiveCapture? live = input.Interface is string name ? LiveCapture.Open(name, input.Filter) : null;
        string[] names = live is not null ? [$"live capture on {live.Interface}"] : [.. sources.Select(s => s.Name)];
        using PacketCsvWriter? csv = csvPath is null ? null
            : new PacketCsvWriter(csvToStdout ? new StreamWriter(Console.OpenStandardOutput()) : new StreamWriter(OutputFile.Create(csvPath, "--csv")));
        var feed = new CaptureFeed(analyzers, csv, ParallelAnalysis.WorkersForThisMachine, filter);
        bool interrupted = false;
        LibpcapException? stopped = null;
        try
        {
            if (live is not null)
            {
                stderr.WriteLine($"{live.Banner}; Ctrl-C to stop");
                stderr.Flush();
                feed.Read(live, input.Count, input.Duration is double seconds ? TimeSpan.FromSeconds(seconds) : null, token);
            }
            else if (!json && !csvToStdout && ConsoleFactory.IsTerminal(stdout) && captures.Count > 0)
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
        catch (LibpcapException e) when (live is not null)
        {
            // The interface went away under the capture: report what was read, then the error.
            stopped = e;
        }

        IReadOnlyList<CaptureProblem> problems = feed.Problems;
        if (live is null && feed.Packets == 0 && problems.Count == sources.Length)
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
            QueueChart.Save(chart, names, analyzers);
        }

        if (!csvToStdout)
        {
            TableSuggestion? suggestion = suggest is LoadMeasure measure ? TableSuggestion.Compute(analyzers[0], analyzers[0].Loads!, measure) : null;
            if (json && suggestion is not null)
            {
                using var analysis = new StringWriter(CultureInfo.InvariantCulture);
                AnalysisJsonRenderer.Render(analysis, names, analyzers, problems);
                ConsoleFactory.WriteWhole(stdout, suggestion.AddTo(analysis.ToString()) + stdout.NewLine);
            }
            else if (json)
            {
                AnalysisJsonRenderer.Render(stdout, names, analyzers, problems);
            }
            else
            {
                // Put together first: the report goes out in one piece, as the JSON does.
                using var report = new StringWriter(CultureInfo.InvariantCulture);
                AnalysisTextRenderer.Render(report, ConsoleFactory.Styles(stdout), ConsoleFactory.Width(stdout), names, analyzers);
                suggestion?.WriteText(report);
                ConsoleFactory.WriteWhole(stdout, report.ToString());
            }
        }

        foreach (CaptureProblem problem in problems)
        {
            stderr.WriteLine($"warning: {problem.Message}");
        }

        if (filter is not null)
        {
            stderr.WriteLine($"note: --filter '{filter.Expression}' kept {feed.Packets} of the {feed.PacketsRead} packets read");
        }

        if (live?.Dropped is > 0)
        {
            stderr.WriteLine($"warning: the kernel dropped {live.Dropped} packets on {live.Interface} that the capture could not take in time; the analysis does not include them");
        }

        if (stopped is not null)
        {
            stderr.WriteLine($"error: {stopped.Message}; the results cover the {feed.Packets} packets read before");
            return stopped.Code;
        }

        if (interrupted)
        {
            stderr.WriteLine($"interrupted: the results cover the {feed.Packets} packets read before the signal");
            return ExitCode.Interrupted;
        }

        return problems.Count > 0 ? ExitCode.InvalidInput : ExitCode.Ok;
    }
}

/// <summary>Where the packets come from: capture files (or standard input, or the sample), or a live interface, and the filter.</summary>
/// <param name="Files">Capture files; '-' is standard input; none means the bundled sample unless <paramref name="Interface"/> is given.</param>
/// <param name="Interface">The interface to capture live from, if any.</param>
/// <param name="Filter">The pcap filter expression packets must match, if any.</param>
/// <param name="Count">With a live capture: stop after this many packets.</param>
/// <param name="Duration">With a live capture: stop after this many seconds.</param>
internal sealed record CaptureRequest(IReadOnlyList<string> Files, string? Interface, string? Filter, long? Count, double? Duration);
