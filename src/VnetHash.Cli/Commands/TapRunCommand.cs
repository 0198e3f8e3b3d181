using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash tap run</c>: a live multi-queue TAP steered by RSS, with per-queue counters.</summary>
internal static class TapRunCommand
{
    private static readonly Option<string> Name = new("--name")
    {
        Description = "Interface name of the TAP to create.",
        Required = true,
        HelpName = "IF",
    };

    private static readonly Option<string> Backend = new("--backend")
    {
        Description = "Where the queue is chosen: auto (default), kernel, ebpf or userspace.",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<double?> Duration = NumberOptions.Seconds("--duration", "Stop after this many seconds (default: run until Ctrl-C).");

    private static readonly Option<long?> Count = NumberOptions.OptionalWhole("--count", 1L, long.MaxValue, "Stop after this many packets.");

    private static readonly Option<bool> Packets = new("--packets")
    {
        Description = "Before the summary, print one JSON line per delivered packet: queue, hash (8 hex digits), report, report_value, length and frame (hex of at most the first 128 bytes).",
    };

    private const int FrameHexBytes = 128;

    static TapRunCommand()
    {
        Backend.AcceptOnlyFromAmong("auto", "kernel", "ebpf", "userspace");
    }

    public static Command Create()
    {
        var run = new Command("run", "Create a multi-queue TAP, steer with the chosen backend, read every queue and show per-queue counters until stopped.")
        {
            Name,
            CommonOptions.Netns,
            Backend,
            Duration,
            Count,
            Packets,
            CommonOptions.Json,
        };
        foreach (Option option in CommonOptions.Configuration)
        {
            run.Add(option);
        }

        run.SetAction(async (parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            string? netns = parse.GetValue(CommonOptions.Netns);
            if (NamespaceExec.MustEnter(netns))
            {
                return await NamespaceExec.RunInsideAsync(netns!, stderr, token).ConfigureAwait(false);
            }

            return await CommandRunner.RunAsync(stderr, () =>
            {
                int queues = NicOptions.QueueCount(parse);
                RssConfiguration configuration = RssOptions.Build(parse, queues);
                SteeringBackendKind backend = parse.GetValue(Backend) switch
                {
                    "kernel" => SteeringBackendKind.Kernel,
                    "ebpf" => SteeringBackendKind.Ebpf,
                    "userspace" => SteeringBackendKind.Userspace,
                    _ => SteeringBackendKind.Auto,
                };
                return RunAsync(parse.GetValue(Name)!, queues, backend, configuration, parse.GetValue(Duration), parse.GetValue(Count), parse.GetValue(Packets), parse.GetValue(CommonOptions.Json), stdout, token);
            }).ConfigureAwait(false);
        });
        return new Command("tap", "Live multi-queue TAP devices.") { run };
    }

    private static async Task<ExitCode> RunAsync(string name, int queues, SteeringBackendKind backend, RssConfiguration configuration, double? duration, long? packetLimit, bool printPackets, bool json, TextWriter stdout, CancellationToken token)
    {
        // The link comes up only once the steering is in place: before, the kernel would spread frames by its own
        // flow hash, not by the configuration.
        using var device = TapDevice.Create(new TapDeviceOptions { Name = name, QueueCount = queues, BringUp = false });
        using var tap = RssTap.Start(device, configuration, new RssTapOptions { Backend = backend, QueueCount = queues });
        device.SetLinkUp(true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (duration is double seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        long received = 0;
        var drains = tap.Queues.Select(queue => Task.Run(async () =>
        {
            try
            {
                await foreach (TapFrame frame in queue.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    if (printPackets)
                    {
                        WritePacket(stdout, frame);
                    }

                    frame.Dispose();
                    if (Interlocked.Increment(ref received) >= packetLimit)
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping is the normal end of a run.
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        if (!json && !printPackets && ConsoleFactory.IsTerminal(stdout))
        {
            await AnsiConsole.Live(Table(tap, clock.Elapsed)).StartAsync(async context =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(500, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    context.UpdateTarget(Table(tap, clock.Elapsed));
                }
            }).ConfigureAwait(false);
        }
        else
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Duration, packet limit or Ctrl-C.
            }
        }

        await Task.WhenAll(drains).ConfigureAwait(false);
        if (json || printPackets)
        {
            WriteJson(stdout, tap, clock.Elapsed);
        }
        else
        {
            ConsoleFactory.Create(stdout).Write(Table(tap, clock.Elapsed));
        }

        return ExitCode.Ok;
    }

    /// <summary>One line per packet, a tcpdump of the steering that a script can check; lines never interleave.</summary>
    private static void WritePacket(TextWriter stdout, in TapFrame frame)
    {
        HashResult hash = frame.Hash;
        int queue = frame.Queue;
        int length = frame.Frame.Length;
        string bytes = Convert.ToHexStringLower(frame.Frame[..Math.Min(length, FrameHexBytes)]);
        lock (stdout)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteNumber("queue", queue);
                w.WriteString("hash", hash.Value.ToString("x8", CultureInfo.InvariantCulture));
                w.WriteString("report", ReportNames.Name(hash.Report));
                w.WriteNumber("report_value", (int)hash.Report);
                w.WriteNumber("length", length);
                w.WriteString("frame", bytes);
            });
        }
    }

    private static Table Table(RssTap tap, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{tap.Device.Name}: {tap.Selection.Kind.ToString().ToLowerInvariant()} backend, {elapsed.TotalSeconds:F0} s"))
            .Caption(Markup.Escape(tap.Selection.Reason));
        table.AddColumn("Queue");
        table.AddColumn(new TableColumn("Packets").RightAligned());
        table.AddColumn(new TableColumn("Bytes").RightAligned());
        table.AddColumn(new TableColumn("Dropped").RightAligned());
        table.AddColumn("Reports");
        foreach (ReceiveQueue queue in tap.Queues)
        {
            ReceiveQueueStatistics s = queue.Statistics;
            string reports = string.Join(' ', Enumerable.Range(0, 10).Where(r => s.CountOf((HashReport)r) > 0).Select(r => $"{ReportNames.Name((HashReport)r)}={s.CountOf((HashReport)r)}"));
            table.AddRow(
                queue.Index.ToString(CultureInfo.InvariantCulture),
                s.Delivered.ToString(CultureInfo.InvariantCulture),
                s.Bytes.ToString(CultureInfo.InvariantCulture),
                s.DroppedConsumerFull.ToString(CultureInfo.InvariantCulture),
                reports);
        }

        return table;
    }

    private static void WriteJson(TextWriter stdout, RssTap tap, TimeSpan elapsed) => JsonOutput.Write(stdout, w =>
    {
        w.WriteString("name", tap.Device.Name);
        w.WriteString("backend", tap.Selection.Kind.ToString().ToLowerInvariant());
        w.WriteString("reason", tap.Selection.Reason);
        w.WriteNumber("duration_seconds", Math.Round(elapsed.TotalSeconds, 3));
        w.WriteNumber("packets", tap.Queues.Sum(q => q.Statistics.Delivered));
        w.WriteStartArray("queues");
        foreach (ReceiveQueue queue in tap.Queues)
        {
            ReceiveQueueStatistics s = queue.Statistics;
            w.WriteStartObject();
            w.WriteNumber("queue", queue.Index);
            w.WriteNumber("packets", s.Delivered);
            w.WriteNumber("bytes", s.Bytes);
            w.WriteNumber("dropped", s.DroppedConsumerFull);
            w.WriteStartObject("reports");
            for (int r = 0; r < 10; r++)
            {
                w.WriteNumber(ReportNames.Name((HashReport)r), s.CountOf((HashReport)r));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });
}
