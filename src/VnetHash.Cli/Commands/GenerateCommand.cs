using System.CommandLine;
using Spectre.Console;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Frames;
using VnetHash.Cli.Generation;
using VnetHash.Cli.Options;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash generate</c>: a pcapng of synthetic flows, optionally spread evenly over queues.</summary>
internal static class GenerateCommand
{
    private const long BaseTimestamp = 1_767_225_600L * 1_000_000_000L; // 2026-01-01T00:00:00Z: fixed so output is reproducible

    // Enough for any balance test; each flow is kept in memory while the capture is written.
    private const int MaxFlows = 1_000_000;

    // How often (in packets) the progress bar moves and Ctrl-C is looked for.
    private const int ProgressStep = 4096;

    private static readonly Option<int> Flows = NumberOptions.Whole("--flows", 1, MaxFlows, 64, $"Number of flows, {NumberOptions.Range(1, MaxFlows)} (default: 64).");

    private static readonly Option<int> Packets = NumberOptions.Whole("--packets", 1, int.MaxValue, 512, "Total number of packets, dealt to the flows in turn (default: 512).");

    private static readonly Option<int> Seed = NumberOptions.Whole("--seed", int.MinValue, int.MaxValue, 1, "Random seed: the same seed gives the same capture (default: 1).", "S");

    private static readonly Option<string> Out = new("--out")
    {
        Description = "Output pcapng file (written as FILE.partial and renamed when complete; Ctrl-C removes the partial file).",
        Required = true,
        HelpName = "FILE",
    };

    private static readonly Option<bool> Balanced = new("--balanced")
    {
        Description = "Choose flows so that each of --queues queues gets the same number of flows under --key/--table.",
    };

    public static Command Create()
    {
        var command = new Command("generate", "Write a pcapng of synthetic flows (IPv4/IPv6, TCP/UDP, VLAN, fragments, IPv6 extension headers); a terminal shows progress.")
        {
            Flows,
            Packets,
            Seed,
            Out,
            Balanced,
            CommonOptions.Json,
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
                int queues = parse.GetValue(CommonOptions.Queues);
                RssConfiguration? balance = parse.GetValue(Balanced) ? RssOptions.Build(parse, queues) : null;
                return Run(parse.GetValue(Flows), parse.GetValue(Packets), parse.GetValue(Seed), parse.GetValue(Out)!, balance, queues, parse.GetValue(CommonOptions.Json), stdout, token);
            });
        });
        return command;
    }

    public static ExitCode Run(int flows, int packets, int seed, string path, RssConfiguration? balance, int queues, bool json, TextWriter stdout, CancellationToken token)
    {
        OutputFile.Check(path, "--out");
        List<FrameSpec> chosen = balance is null ? Draw(flows, seed) : DrawBalanced(flows, seed, balance, queues, token);

        // Written beside the target and renamed when whole, so an interrupted run leaves neither a partial
        // capture nor a damaged earlier one.
        string partial = path + ".partial";
        try
        {
            using (FileStream stream = OutputFile.Create(partial, "--out", path))
            using (var writer = new PcapngWriter(stream, LinkType.Ethernet, "vnethash generate"))
            {
                if (!json && ConsoleFactory.IsTerminal(stdout))
                {
                    ConsoleFactory.Create(stdout).Progress().Start(context =>
                    {
                        ProgressTask task = context.AddTask(Markup.Escape(Path.GetFileName(path)), maxValue: packets);
                        Write(writer, chosen, packets, done => task.Value = done, token);
                    });
                }
                else
                {
                    Write(writer, chosen, packets, null, token);
                }
            }

            OutputFile.Replace(partial, path, "--out");
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("out", path);
                w.WriteNumber("flows", chosen.Count);
                w.WriteNumber("packets", packets);
                w.WriteNumber("seed", seed);
                w.WriteBoolean("balanced", balance is not null);
            });
        }
        else
        {
            stdout.WriteLine($"wrote {packets} packets of {chosen.Count} flows to {path}{(balance is null ? string.Empty : $" (balanced over {queues} queues)")}");
        }

        return ExitCode.Ok;
    }

    private static void Write(PcapngWriter writer, List<FrameSpec> flows, int packets, Action<int>? progress, CancellationToken token)
    {
        for (int i = 0; i < packets; i++)
        {
            if (i % ProgressStep == 0)
            {
                token.ThrowIfCancellationRequested();
                progress?.Invoke(i);
            }

            FrameSpec flow = flows[i % flows.Count];
            byte[] frame = FlowGenerator.PacketOf(flow, i / flows.Count).BuildEthernet();
            writer.WritePacket(frame, BaseTimestamp + (i * 10_000L));
        }

        progress?.Invoke(packets);
    }

    private static List<FrameSpec> Draw(int flows, int seed)
    {
        var generator = new FlowGenerator(seed);
        var list = new List<FrameSpec>(flows);
        for (int i = 0; i < flows; i++)
        {
            list.Add(generator.Next());
        }

        return list;
    }

    // Draw candidates until every queue holds its share (flows / queues, the first flows % queues queues one
    // more), steering each candidate's first packet with the core's RSS steering.
    private static List<FrameSpec> DrawBalanced(int flows, int seed, RssConfiguration configuration, int queues, CancellationToken token)
    {
        var steering = new RssSteering(configuration);
        var used = new bool[queues];
        foreach (ushort entry in configuration.IndirectionTable)
        {
            used[entry % queues] = true;
        }

        var share = new int[queues];
        for (int q = 0; q < queues; q++)
        {
            share[q] = (flows / queues) + (q < flows % queues ? 1 : 0);
            if (share[q] > 0 && !used[q])
            {
                throw new UsageException($"--balanced: queue {q} never appears in the indirection table, so no flow can reach it");
            }
        }

        var generator = new FlowGenerator(seed);
        var list = new List<FrameSpec>(flows);
        var have = new int[queues];
        long attempts = 0;
        long limit = Math.Max(100_000L, flows * 1000L);
        while (list.Count < flows)
        {
            if (++attempts > limit)
            {
                throw new UsageException($"--balanced: found only {list.Count} of {flows} flows after {limit} candidates; the configuration sends (almost) no flows to some queues");
            }

            if ((attempts & 1023) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            FrameSpec candidate = generator.Next();
            int queue = steering.Decide(candidate.BuildEthernet(), FrameKind.Ethernet, queues).Queue;
            if (have[queue] < share[queue])
            {
                have[queue]++;
                list.Add(candidate);
            }
        }

        return list;
    }
}
