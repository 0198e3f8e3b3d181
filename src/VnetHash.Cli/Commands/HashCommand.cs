using System.CommandLine;
using System.Globalization;
using VnetHash.Cli.Explanation;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash hash</c>: the hash, report type and (with a table or queue count) queue of frames given as hex.</summary>
internal static class HashCommand
{
    private static readonly Option<string> Frame = new("--frame")
    {
        Description = "The frame as hex, or '-' to read one hex frame per line from stdin and answer each line with exactly one line (an error is a line too).",
        Required = true,
        HelpName = "HEX|-",
    };

    private static readonly Option<bool> L3 = new("--l3")
    {
        Description = "Frames start at the IP header (as a TUN device delivers them) instead of an Ethernet header.",
    };

    private static readonly Option<bool> Explain = new("--explain")
    {
        Description = "Explain the answer: the framing, the headers walked, the tuple and the exact bytes hashed, each type considered and why the chosen one won (or why none did), the table index and the queue.",
    };

    public static Command Create()
    {
        var command = new Command("hash", "Hash frames given as hex under an RSS configuration; with --table, --queues or --unclassified also pick the queue (default table: round-robin over --queues, see --table).")
        {
            Frame,
            L3,
            Explain,
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
                bool steer = IsGiven(parse, CommonOptions.Table) || IsGiven(parse, CommonOptions.Queues) || IsGiven(parse, CommonOptions.Unclassified);
                int queues = QueueCount(parse);
                RssConfiguration configuration = RssOptions.Build(parse, queues);
                string frame = parse.GetValue(Frame)!;
                bool json = parse.GetValue(CommonOptions.Json);
                bool explain = parse.GetValue(Explain);
                if (frame == "-" && explain && !json)
                {
                    throw new UsageException("--explain with --frame - needs --json: a text explanation takes several lines, and standard input is answered one line per line");
                }

                var request = new Request(configuration, steer ? queues : null, parse.GetValue(L3) ? FrameKind.IP : FrameKind.Ethernet, json, explain);
                return frame == "-"
                    ? RunLines(ReadLines(Console.In), request, stdout, stderr, token)
                    : RunOne(frame, request, stdout);
            });
        });
        return command;
    }

    private static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    // Without --queues a given table is taken at face value: as many queues as its largest index needs.
    private static int QueueCount(ParseResult parse)
    {
        if (IsGiven(parse, CommonOptions.Queues) || !IsGiven(parse, CommonOptions.Table))
        {
            return parse.GetValue(CommonOptions.Queues);
        }

        int largest = Math.Max(RssOptions.ParseTable(parse.GetValue(CommonOptions.Table)!).Max(), parse.GetValue(CommonOptions.Unclassified));
        return largest + 1;
    }

    private static ExitCode RunOne(string text, Request request, TextWriter stdout)
    {
        byte[] frame;
        try
        {
            frame = Hex.Parse(text, "--frame");
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        Answer(frame, request).Write(stdout, request.Json, line: null, request.Steering.Configuration.Key);
        return ExitCode.Ok;
    }

    /// <summary>One output line per input line, in order, so a script can pair them; a line that is not a frame answers with an error line.</summary>
    private static ExitCode RunLines(IEnumerable<string> lines, Request request, TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        int number = 0;
        int failed = 0;
        foreach (string line in lines)
        {
            token.ThrowIfCancellationRequested();
            number++;
            Result result;
            try
            {
                byte[] frame = Hex.Parse(line, $"line {number}");
                result = frame.Length == 0 ? Result.Error($"line {number}: the line is empty; give a frame as hex") : Answer(frame, request);
            }
            catch (FormatException e)
            {
                result = Result.Error(e.Message);
            }

            failed += result.IsError ? 1 : 0;
            result.Write(stdout, request.Json, number, request.Steering.Configuration.Key);
        }

        if (failed > 0)
        {
            stderr.WriteLine($"error: {failed} of {number} line(s) held no frame; their output lines say why");
            return ExitCode.InvalidInput;
        }

        return ExitCode.Ok;
    }

    private static Result Answer(byte[] frame, Request request)
    {
        RssSteering steering = request.Steering;
        HashResult hash;
        int? queue = null;
        if (request.Queues is int count)
        {
            RssDecision decision = steering.Decide(frame, request.Kind, count);
            hash = decision.Hash;
            queue = decision.Queue;
        }
        else
        {
            hash = steering.Hasher.Hash(frame, request.Kind);
        }

        // A packet without a hash always says why; an explanation says everything.
        HashExplanation? explanation = request.Explain || !hash.HasHash ? HashExplainer.Explain(steering, frame, request.Kind, request.Queues) : null;
        return new Result(hash, queue, null, explanation, request.Explain);
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private sealed class Request(RssConfiguration configuration, int? queues, FrameKind kind, bool json, bool explain)
    {
        public bool Explain => explain;

        public RssSteering Steering { get; } = new(configuration);

        public int? Queues => queues;

        public FrameKind Kind => kind;

        public bool Json => json;
    }

    private readonly record struct Result(HashResult Hash, int? Queue, string? ErrorMessage, HashExplanation? Explanation, bool Explained)
    {
        public bool IsError => ErrorMessage is not null;

        public static Result Error(string message) => new(default, null, message, null, false);

        public void Write(TextWriter stdout, bool json, int? line, ReadOnlySpan<byte> key)
        {
            HashResult hash = Hash;
            int? queue = Queue;
            string? error = ErrorMessage;
            HashExplanation? explanation = Explanation;
            bool explained = Explained;
            if (json)
            {
                JsonOutput.Write(stdout, w =>
                {
                    if (line is int n)
                    {
                        w.WriteNumber("line", n);
                    }

                    if (error is not null)
                    {
                        w.WriteString("error", error);
                        return;
                    }

                    w.WriteString("hash", hash.Value.ToString("x8", CultureInfo.InvariantCulture));
                    w.WriteString("report", ReportNames.Name(hash.Report));
                    w.WriteNumber("report_value", (int)hash.Report);
                    if (queue is int q)
                    {
                        w.WriteNumber("queue", q);
                    }

                    if (!hash.HasHash && explanation is not null)
                    {
                        w.WriteString("reason", explanation.Reason);
                    }

                    if (explained && explanation is not null)
                    {
                        ExplanationRenderer.WriteJson(w, explanation);
                    }
                });
                return;
            }

            if (error is not null)
            {
                stdout.WriteLine($"error: {error}");
                return;
            }

            if (explained && explanation is not null)
            {
                ExplanationRenderer.WriteText(stdout, explanation, key);
                return;
            }

            string text = $"{hash.Value:x8} {ReportNames.Name(hash.Report)} report={(int)hash.Report}";
            text = queue is int qq ? $"{text} queue={qq}" : text;
            stdout.WriteLine(explanation is not null && !hash.HasHash ? $"{text} ({explanation.Reason})" : text);
        }
    }
}
