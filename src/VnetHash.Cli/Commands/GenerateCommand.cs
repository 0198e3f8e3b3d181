using System.CommandLine;
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

    private static readonly Option<int> Flows = new("--flows")
    {
        Description = "Number of flows.",
        DefaultValueFactory = _ => 64,
    };

    private static readonly Option<int> Packets = new("--packets")
    {
        Description = "Total number of packets, dealt to the flows in turn.",
        DefaultValueFactory = _ => 512,
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Random seed: the same seed gives the same capture.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<string> Out = new("--out")
    {
        Description = "Output pcapng file.",
        Required = true,
        HelpName = "FILE",
    };

    private static readonly Option<bool> Balanced = new("--balanced")
    {
        Description = "Choose flows so that each of --queues queues gets the same number of flows under --key/--table.",
    };

    public static Command Create()
    {
        var command = new Command("generate", "Write a pcapng of synthetic flows (IPv4/IPv6, TCP/UDP, VLAN, fragments, IPv6 extension headers).")
        {
            Flows,
            Packets,
            Seed,
            Out,
            Balanced,
            CommonOptions.Queues,
            CommonOptions.Key,
            CommonOptions.Types,
            CommonOptions.Table,
            CommonOptions.Profile,
            CommonOptions.Json,
        };
        command.SetAction((parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () =>
            {
                RssConfiguration? balance = parse.GetValue(Balanced) ? RssOptions.Build(parse) : null;
                int queues = RssOptions.ReadQueues(parse);
                return Run(parse.GetValue(Flows), parse.GetValue(Packets), parse.GetValue(Seed), parse.GetValue(Out)!, balance, queues, parse.GetValue(CommonOptions.Json), stdout, token);
            });
        });
        return command;
    }

    public static ExitCode Run(int flows, int packets, int seed, string path, RssConfiguration? balance, int queues, bool json, TextWriter stdout, CancellationToken token)
    {
        if (flows < 1 || packets < 1)
        {
            throw new UsageException($"--flows and --packets must be at least 1 (got {flows} and {packets})");
        }

        List<FrameSpec> chosen = balance is null ? Draw(flows, seed) : DrawBalanced(flows, seed, balance, queues, token);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        using (var writer = new PcapngWriter(stream, LinkType.Ethernet, "vnethash generate"))
        {
            for (int i = 0; i < packets; i++)
            {
                FrameSpec flow = chosen[i % chosen.Count];
                byte[] frame = FlowGenerator.PacketOf(flow, i / chosen.Count).BuildEthernet();
                writer.WritePacket(frame, BaseTimestamp + (i * 10_000L));
            }
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
