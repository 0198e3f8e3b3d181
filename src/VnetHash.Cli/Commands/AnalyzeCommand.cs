using System.CommandLine;
using Spectre.Console;
using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Options;
using VnetHash.Cli.Samples;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash analyze</c>: how a capture's packets would spread over RSS queues.</summary>
internal static class AnalyzeCommand
{
    private static readonly Argument<string[]> Captures = new("captures")
    {
        Description = "pcap or pcapng files (default: the bundled sample capture).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<string?> Csv = new("--csv")
    {
        Description = "Write one CSV row per packet (index, time, src, dst, sport, dport, proto, hash, report, queue) to FILE ('-' for stdout).",
        HelpName = "FILE",
    };

    private static readonly Option<string?> Chart = new("--chart")
    {
        Description = "Save a bar chart of packets per queue to FILE.png or FILE.svg.",
        HelpName = "FILE",
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
                        analyzers.Add(new CaptureAnalyzer(key, RssOptions.Build(parse, queues, RssOptions.Key(parse, key)), queues));
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

                return Run(parse.GetValue(Captures) ?? [], analyzers, parse.GetValue(CommonOptions.Json), parse.GetValue(Csv), parse.GetValue(Chart), stdout, token);
            });
        });
        return command;
    }

    public static ExitCode Run(IReadOnlyList<string> captures, IReadOnlyList<CaptureAnalyzer> analyzers, bool json, string? csvPath, string? chartPath, TextWriter stdout, CancellationToken token)
    {
        bool csvToStdout = csvPath == "-";
        if (csvToStdout && json)
        {
            throw new UsageException("--csv - and --json both write to standard output; write the CSV to a file, or leave out --json");
        }

        foreach (string capture in captures)
        {
            if (Directory.Exists(capture))
            {
                throw new InputFileException("capture", capture, "is a directory, not a capture file");
            }

            if (!File.Exists(capture))
            {
                throw new InputFileException("capture", capture, "does not exist");
            }
        }

        if (chartPath is not null)
        {
            QueueChart.CheckPath(chartPath);
        }

        using PacketCsvWriter? csv = csvPath is null ? null
            : new PacketCsvWriter(csvToStdout ? TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false }) : new StreamWriter(OutputFile.Create(csvPath, "--csv")));
        var inputs = captures.Count == 0 ? [$"{SampleCapture.Name} (bundled sample)"] : captures.ToList();
        long index = 0;
        bool progress = !json && !csvToStdout && ConsoleFactory.IsTerminal(stdout) && captures.Count > 0;
        if (progress)
        {
            AnsiConsole.Progress().Start(context =>
            {
                foreach (string capture in captures)
                {
                    ProgressTask task = context.AddTask(Markup.Escape(Path.GetFileName(capture)), maxValue: Math.Max(1, new FileInfo(capture).Length));
                    index = FeedFile(capture, analyzers, csv, index, task, token);
                    task.Value = task.MaxValue;
                }
            });
        }
        else if (captures.Count == 0)
        {
            using CaptureReader reader = CaptureReader.Open(SampleCapture.Open());
            index = Feed(reader, analyzers, csv, index, null, token);
        }
        else
        {
            foreach (string capture in captures)
            {
                index = FeedFile(capture, analyzers, csv, index, null, token);
            }
        }

        if (chartPath is not null)
        {
            QueueChart.Save(chartPath, analyzers);
        }

        if (csvToStdout)
        {
            return ExitCode.Ok;
        }

        if (json)
        {
            AnalysisJsonRenderer.Render(stdout, inputs, analyzers);
        }
        else
        {
            AnalysisTextRenderer.Render(ConsoleFactory.Create(stdout), inputs, analyzers);
        }

        return ExitCode.Ok;
    }

    private static long FeedFile(string capture, IReadOnlyList<CaptureAnalyzer> analyzers, PacketCsvWriter? csv, long index, ProgressTask? task, CancellationToken token)
    {
        try
        {
            using CaptureReader reader = CaptureReader.Open(capture);
            return Feed(reader, analyzers, csv, index, task, token);
        }
        catch (CaptureFormatException e)
        {
            throw new InputFileException($"capture '{capture}': {e.Message}", e);
        }
    }

    private static long Feed(CaptureReader reader, IReadOnlyList<CaptureAnalyzer> analyzers, PacketCsvWriter? csv, long index, ProgressTask? task, CancellationToken token)
    {
        while (reader.TryReadPacket(out CapturedPacket packet))
        {
            if ((index & 1023) == 0)
            {
                token.ThrowIfCancellationRequested();
                task?.Value = reader.Position;
            }

            PacketOutcome outcome = analyzers[0].Add(packet.Data, packet.LinkType, packet.OriginalLength);
            for (int i = 1; i < analyzers.Count; i++)
            {
                analyzers[i].Add(packet.Data, packet.LinkType, packet.OriginalLength);
            }

            csv?.Write(index, packet.TimestampNanoseconds, packet.Data, in outcome);
            index++;
        }

        return index;
    }
}
