using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Spectre.Console;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;

namespace VnetHash.Cli.Commands;

/// <summary>
/// <c>vnethash tap run</c>: a live multi-queue TAP steered by RSS. The device is created with its link down, the
/// steering and a reader per queue are put in place, and only then is the link set up and <c>ready</c> printed, so
/// no frame reaches the device before its steering. Frames are handled on the readers' own threads.
/// </summary>
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

    private static readonly Option<string> Reader = new("--reader")
    {
        Description = "How the queues are read: auto (default: io_uring where the kernel has multishot reads, see probe), io_uring or poll.",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<double?> Duration = NumberOptions.Seconds("--duration", "Stop after this many seconds (default: run until Ctrl-C or SIGTERM).");

    private static readonly Option<long?> Count = NumberOptions.OptionalWhole("--count", 1L, long.MaxValue, "Stop after exactly this many packets were delivered; frames the readers took beyond them are counted as over_count.");

    private static readonly Option<bool> Packets = new("--packets")
    {
        Description = "Print JSON lines: the ready event, one line per delivered packet (queue, hash as 8 hex digits, report, report_value, length, frame as hex of at most the first 128 bytes), then the summary.",
    };

    static TapRunCommand()
    {
        Backend.AcceptOnlyFromAmong("auto", "kernel", "ebpf", "userspace");
        Reader.AcceptOnlyFromAmong("auto", "io_uring", "poll");
    }

    public static Command Create()
    {
        var run = new Command("run", "Create a multi-queue TAP, steer with the chosen backend, read every queue and show per-queue counters until stopped.")
        {
            Name,
            CommonOptions.Netns,
            Backend,
            Reader,
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
                var settings = new Settings(
                    parse.GetValue(Name)!,
                    queues,
                    parse.GetValue(Backend) switch
                    {
                        "kernel" => SteeringBackendKind.Kernel,
                        "ebpf" => SteeringBackendKind.Ebpf,
                        "userspace" => SteeringBackendKind.Userspace,
                        _ => SteeringBackendKind.Auto,
                    },
                    parse.GetValue(Reader) switch
                    {
                        "io_uring" => ReaderEngine.IoUring,
                        "poll" => ReaderEngine.PollRead,
                        _ => ReaderEngine.Auto,
                    },
                    parse.GetValue(Duration),
                    parse.GetValue(Count),
                    parse.GetValue(Packets),
                    parse.GetValue(CommonOptions.Json));
                return RunAsync(settings, RssOptions.Build(parse, queues), stdout, token);
            }).ConfigureAwait(false);
        });
        return new Command("tap", "Live multi-queue TAP devices.") { run };
    }

    private static async Task<ExitCode> RunAsync(Settings settings, RssConfiguration configuration, TextWriter stdout, CancellationToken token)
    {
        bool jsonLines = settings.Json || settings.PrintPackets;
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var delivery = new TapRunDelivery(settings.Queues, settings.Count, settings.PrintPackets ? stdout : null, () => ended.TrySetResult("count"));
        using var device = TapDevice.Create(new TapDeviceOptions { Name = settings.Name, QueueCount = settings.Queues, BringUp = false });
        var options = new RssTapOptions
        {
            Backend = settings.Backend,
            QueueCount = settings.Queues,
            BringUp = false,
            Reader = new TapReaderOptions { Engine = settings.Reader },
        };
        RssTap tap = RssTap.Start(device, configuration, delivery.OnBatch, options);
        TapLinkStatistics? kernel;
        var clock = Stopwatch.StartNew();
        try
        {
            // Steering and readers are in place: only now may the device carry frames.
            device.SetLinkUp(true);
            using CancellationTokenRegistration signal = token.Register(() => ended.TrySetResult("signal"));
            _ = tap.Receiver.Completion.ContinueWith(t => ended.TrySetResult(t.IsFaulted ? "error" : "stopped"), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (settings.Duration is double seconds)
            {
                _ = Task.Delay(TimeSpan.FromSeconds(seconds), CancellationToken.None).ContinueWith(_ => ended.TrySetResult("duration"), TaskScheduler.Default);
            }

            WriteReady(stdout, tap, jsonLines);
            delivery.Ready();
            if (!jsonLines && ConsoleFactory.IsTerminal(stdout))
            {
                await AnsiConsole.Live(Table(tap, delivery, clock.Elapsed)).StartAsync(async context =>
                {
                    while (!ended.Task.IsCompleted)
                    {
                        await Task.WhenAny(ended.Task, Task.Delay(500, CancellationToken.None)).ConfigureAwait(false);
                        context.UpdateTarget(Table(tap, delivery, clock.Elapsed));
                    }
                }).ConfigureAwait(false);
            }

            await ended.Task.ConfigureAwait(false);
        }
        finally
        {
            // Readers first: once they have stopped, the kernel's count of frames read is final and equals theirs.
            tap.Dispose();
            kernel = TryReadStatistics(device);
        }

        string end = ended.Task.Result;
        if (jsonLines)
        {
            WriteSummary(stdout, tap, delivery, kernel, end, clock.Elapsed);
        }
        else
        {
            ConsoleFactory.Create(stdout).Write(Table(tap, delivery, clock.Elapsed));
        }

        if (tap.Receiver.Failure is Exception failure)
        {
            // CommandRunner names it on stderr and maps it to its exit code (a deleted device: 3).
            ExceptionDispatchInfo.Throw(failure);
        }

        return end == "signal" ? ExitCode.Interrupted : ExitCode.Ok;
    }

    private static TapLinkStatistics? TryReadStatistics(TapDevice device)
    {
        try
        {
            return device.ReadStatistics();
        }
        catch (TapException error) when (error.Error == TapError.DeviceGone)
        {
            return null;
        }
    }

    private static void WriteReady(TextWriter stdout, RssTap tap, bool json)
    {
        string backend = tap.Selection.Kind.ToString().ToLowerInvariant();
        string reader = ReaderName(tap.Receiver.Engine);
        if (!json)
        {
            stdout.WriteLine($"ready: {tap.Device.Name} is up with {tap.Queues.Count} queue(s), {backend} backend, {reader} reader");
            stdout.Flush();
            return;
        }

        lock (stdout)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("event", "ready");
                w.WriteString("name", tap.Device.Name);
                w.WriteNumber("ifindex", tap.Device.InterfaceIndex);
                w.WriteNumber("queues", tap.Queues.Count);
                w.WriteString("backend", backend);
                w.WriteString("reason", tap.Selection.Reason);
                w.WriteString("reader", reader);
                w.WriteString("reader_reason", tap.Receiver.EngineReason);
                if (tap.SteeringProgramId is uint id)
                {
                    w.WriteNumber("program_id", id);
                }
                else
                {
                    w.WriteNull("program_id");
                }
            });
            stdout.Flush();
        }
    }

    private static Table Table(RssTap tap, TapRunDelivery delivery, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{tap.Device.Name}: {tap.Selection.Kind.ToString().ToLowerInvariant()} backend, {ReaderName(tap.Receiver.Engine)} reader, {elapsed.TotalSeconds:F0} s"))
            .Caption(Markup.Escape(tap.Selection.Reason));
        table.AddColumn("Queue");
        table.AddColumn(new TableColumn("Packets").RightAligned());
        table.AddColumn(new TableColumn("Bytes").RightAligned());
        table.AddColumn(new TableColumn("Dropped").RightAligned());
        table.AddColumn("Reports");
        IReadOnlyList<KernelQueueStatistics> readers = tap.Receiver.KernelQueues;
        foreach (ReceiveQueue queue in tap.Queues)
        {
            ReceiveQueueStatistics s = queue.Statistics;
            long dropped = s.Dropped + delivery.OverCount(queue.Index) + (queue.Index < readers.Count && readers.Count == tap.Queues.Count ? readers[queue.Index].Dropped : 0);
            string reports = string.Join(' ', Enumerable.Range(0, 10).Where(r => s.CountOf((HashReport)r) > 0).Select(r => $"{ReportNames.Name((HashReport)r)}={s.CountOf((HashReport)r)}"));
            table.AddRow(
                queue.Index.ToString(CultureInfo.InvariantCulture),
                (s.Delivered - delivery.OverCount(queue.Index)).ToString(CultureInfo.InvariantCulture),
                s.Bytes.ToString(CultureInfo.InvariantCulture),
                dropped.ToString(CultureInfo.InvariantCulture),
                reports);
        }

        return table;
    }

    /// <summary>
    /// The summary line. Every frame the readers took from the kernel is in it once: delivered (<c>packets</c>) or
    /// dropped with a reason, per queue and per reader; the kernel's own counters say what it dropped before any reader.
    /// </summary>
    private static void WriteSummary(TextWriter stdout, RssTap tap, TapRunDelivery delivery, TapLinkStatistics? kernel, string end, TimeSpan elapsed)
    {
        IReadOnlyList<KernelQueueStatistics> readers = tap.Receiver.KernelQueues;
        IReadOnlyList<ReceiveQueueStatistics> queues = [.. tap.Queues.Select(q => q.Statistics)];
        lock (stdout)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("event", "summary");
                w.WriteString("name", tap.Device.Name);
                w.WriteString("backend", tap.Selection.Kind.ToString().ToLowerInvariant());
                w.WriteString("reason", tap.Selection.Reason);
                w.WriteString("reader", ReaderName(tap.Receiver.Engine));
                w.WriteString("end", end);
                w.WriteNumber("duration_seconds", Math.Round(elapsed.TotalSeconds, 3));
                w.WriteNumber("packets", queues.Sum(s => s.Delivered) - delivery.TotalOverCount);
                w.WriteNumber("read", readers.Sum(r => r.FramesRead));
                w.WriteStartObject("dropped");
                w.WriteNumber("truncated", readers.Sum(r => r.DroppedTruncated));
                w.WriteNumber("misrouted", readers.Sum(r => r.DroppedMisrouted));
                w.WriteNumber("at_stop", readers.Sum(r => r.DroppedAtStop));
                w.WriteNumber("queue_full", queues.Sum(s => s.DroppedQueueFull));
                w.WriteNumber("stopped", queues.Sum(s => s.DroppedStopped));
                w.WriteNumber("over_count", delivery.TotalOverCount);
                w.WriteEndObject();
                WriteKernel(w, kernel);
                w.WriteStartArray("queues");
                for (int i = 0; i < queues.Count; i++)
                {
                    ReceiveQueueStatistics s = queues[i];
                    w.WriteStartObject();
                    w.WriteNumber("queue", i);
                    w.WriteNumber("packets", s.Delivered - delivery.OverCount(i));
                    w.WriteNumber("bytes", s.Bytes);
                    w.WriteStartObject("dropped");
                    w.WriteNumber("queue_full", s.DroppedQueueFull);
                    w.WriteNumber("stopped", s.DroppedStopped);
                    w.WriteNumber("over_count", delivery.OverCount(i));
                    w.WriteEndObject();
                    w.WriteStartObject("reports");
                    for (int r = 0; r < 10; r++)
                    {
                        w.WriteNumber(ReportNames.Name((HashReport)r), s.CountOf((HashReport)r));
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("readers");
                for (int i = 0; i < readers.Count; i++)
                {
                    KernelQueueStatistics r = readers[i];
                    w.WriteStartObject();
                    w.WriteNumber("reader", i);
                    w.WriteNumber("read", r.FramesRead);
                    w.WriteNumber("bytes", r.BytesRead);
                    w.WriteStartObject("dropped");
                    w.WriteNumber("truncated", r.DroppedTruncated);
                    w.WriteNumber("misrouted", r.DroppedMisrouted);
                    w.WriteNumber("at_stop", r.DroppedAtStop);
                    w.WriteEndObject();
                    w.WriteNumber("buffer_stalls", r.BufferStalls);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            stdout.Flush();
        }
    }

    private static void WriteKernel(Utf8JsonWriter w, TapLinkStatistics? kernel)
    {
        if (kernel is not TapLinkStatistics k)
        {
            // The device was deleted under the run: its counters went with it.
            w.WriteNull("kernel");
            return;
        }

        w.WriteStartObject("kernel");
        w.WriteNumber("tx_packets", k.TxPackets);
        w.WriteNumber("tx_dropped", k.TxDropped);
        w.WriteEndObject();
    }

    private static string ReaderName(ReaderEngine engine) => engine == ReaderEngine.IoUring ? "io_uring" : "poll";

    private sealed record Settings(string Name, int Queues, SteeringBackendKind Backend, ReaderEngine Reader, double? Duration, long? Count, bool PrintPackets, bool Json);
}
