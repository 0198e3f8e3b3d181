using System.CommandLine;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash hash</c>: the hash, report type and (with a table) queue of frames given as hex.</summary>
internal static class HashCommand
{
    private static readonly Option<string> Frame = new("--frame")
    {
        Description = "The frame as hex, or '-' to read one hex frame per line from stdin.",
        Required = true,
        HelpName = "HEX|-",
    };

    private static readonly Option<bool> L3 = new("--l3")
    {
        Description = "Frames start at the IP header (as a TUN device delivers them) instead of an Ethernet header.",
    };

    public static Command Create()
    {
        var command = new Command("hash", "Hash frames given as hex under an RSS configuration; with --table also pick the queue.")
        {
            Frame,
            L3,
            CommonOptions.Key,
            CommonOptions.Types,
            CommonOptions.Table,
            CommonOptions.Queues,
            CommonOptions.Unclassified,
            CommonOptions.Profile,
            CommonOptions.Symmetric,
            CommonOptions.Json,
        };
        command.SetAction((parse, token) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () =>
            {
                bool hasTable = parse.GetValue(CommonOptions.Table) is not null;
                RssConfiguration configuration = RssOptions.Build(parse);

                // Without --queues, a given table is taken at face value: as many queues as its largest entry needs.
                int queues = parse.GetResult(CommonOptions.Queues) is { Implicit: false } || !hasTable
                    ? RssOptions.ReadQueues(parse)
                    : configuration.IndirectionTable.ToArray().Max() + 1;
                string frame = parse.GetValue(Frame)!;
                IEnumerable<string> lines = frame == "-" ? ReadLines(Console.In) : [frame];
                return Run(lines, configuration, hasTable ? queues : null, parse.GetValue(L3) ? FrameKind.IP : FrameKind.Ethernet, parse.GetValue(CommonOptions.Json), stdout, stderr, token);
            });
        });
        return command;
    }

    public static ExitCode Run(IEnumerable<string> lines, RssConfiguration configuration, int? queues, FrameKind kind, bool json, TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        var steering = new RssSteering(configuration);
        ExitCode result = ExitCode.Ok;
        int lineNumber = 0;
        foreach (string line in lines)
        {
            token.ThrowIfCancellationRequested();
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            byte[] frame;
            try
            {
                frame = Hex.Parse(text, $"frame on line {lineNumber}");
                if (frame.Length == 0)
                {
                    throw new FormatException($"frame on line {lineNumber}: no bytes");
                }
            }
            catch (FormatException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                result = ExitCode.InvalidInput;
                continue;
            }

            HashResult hash;
            int? queue = null;
            if (queues is int count)
            {
                RssDecision decision = steering.Decide(frame, kind, count);
                hash = decision.Hash;
                queue = decision.Queue;
            }
            else
            {
                hash = steering.Hasher.Hash(frame, kind);
            }

            Write(stdout, hash, queue, json);
        }

        return result;
    }

    private static void Write(TextWriter stdout, HashResult hash, int? queue, bool json)
    {
        string hex = hash.Value.ToString("x8");
        string report = ReportNames.Name(hash.Report);
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("hash", hex);
                w.WriteString("report", report);
                w.WriteNumber("report_value", (int)hash.Report);
                if (queue is int q)
                {
                    w.WriteNumber("queue", q);
                }
            });
        }
        else
        {
            stdout.WriteLine(queue is int q ? $"{hex} {report} report={(int)hash.Report} queue={q}" : $"{hex} {report} report={(int)hash.Report}");
        }
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
