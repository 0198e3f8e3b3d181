using System.CommandLine;
using Spectre.Console;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Frames;
using VnetHash.Cli.Generation;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
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

    private static readonly TunnelTypesParser TunnelNames = new("--tunnels");

    private static readonly Option<string?> Tunnels = new("--tunnels")
    {
        Description = "Carry every flow inside a tunnel between two hosts, its type drawn per flow from this list: gre-2784, gre-2890, gre-7676, gre-udp, vxlan, vxlan-gpe, geneve, ipip, nvgre, all, or a 0x mask. UDP tunnels take their destination port from --tunnel-ports and their source port from the inner flow, as Linux does.",
        HelpName = "LIST|0xMASK",
    };

    public static Command Create()
    {
        var command = new Command("generate", "Write a pcapng of synthetic flows (IPv4/IPv6, TCP/UDP, VLAN, fragments, IPv6 extension headers, optionally inside tunnels); a terminal shows progress.")
        {
            Flows,
            Packets,
            Seed,
            Out,
            Balanced,
            Tunnels,
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
                int queues = NicOptions.QueueCount(parse);
                RssConfiguration? balance = parse.GetValue(Balanced) ? RssOptions.Build(parse, queues) : null;
                var traffic = new Traffic(parse.GetValue(Flows), parse.GetValue(Packets), parse.GetValue(Seed), TunnelNames.Parse(parse.GetValue(Tunnels)), RssOptions.ParseTunnelPorts(parse.GetValue(CommonOptions.TunnelPorts)));
                return Run(traffic, parse.GetValue(Out)!, balance, queues, parse.GetValue(CommonOptions.Json), stdout, token);
            });
        });
        return command;
    }

    /// <summary>What to generate.</summary>
    /// <param name="Flows">The number of flows.</param>
    /// <param name="Packets">The number of packets, dealt to the flows in turn.</param>
    /// <param name="Seed">The random seed.</param>
    /// <param name="Tunnels">The encapsulation types the flows travel in; none for plain flows.</param>
    /// <param name="Ports">The UDP tunnels' destination ports.</param>
    public sealed record Traffic(int Flows, int Packets, int Seed, TunnelTypes Tunnels = TunnelTypes.None, UdpTunnelPorts? Ports = null)
    {
        public FlowGenerator Generator() => new(Seed, Tunnels, Ports);
    }

    public static ExitCode Run(Traffic traffic, string path, RssConfiguration? balance, int queues, bool json, TextWriter stdout, CancellationToken token)
    {
        OutputFile.Check(path, "--out");
        int packets = traffic.Packets;
        int seed = traffic.Seed;
        List<FrameSpec> chosen = balance is null ? Draw(traffic) : DrawBalanced(traffic, balance, queues, token);

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
                w.WriteString("tunnels", TunnelTypesParser.Format(traffic.Tunnels));
            });
        }
        else
        {
            string tunnels = traffic.Tunnels == TunnelTypes.None ? string.Empty : $" inside {TunnelTypesParser.Format(traffic.Tunnels)} tunnels between two hosts";
            stdout.WriteLine($"wrote {packets} packets of {chosen.Count} flows{tunnels} to {path}{(balance is null ? string.Empty : $" (balanced over {queues} queues)")}");
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

    private static List<FrameSpec> Draw(Traffic traffic)
    {
        FlowGenerator generator = traffic.Generator();
        var list = new List<FrameSpec>(traffic.Flows);
        for (int i = 0; i < traffic.Flows; i++)
        {
            list.Add(generator.Next());
        }

        return list;
    }

    // Draw candidates until every queue holds its share (flows / queues, the first flows % queues queues one
    // more), steering each candidate's first packet with the core's RSS steering.
    private static List<FrameSpec> DrawBalanced(Traffic traffic, RssConfiguration configuration, int queues, CancellationToken token)
    {
        int flows = traffic.Flows;
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

        FlowGenerator generator = traffic.Generator();
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
