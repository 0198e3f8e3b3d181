using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VnetHash.Cli.Options;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash predict</c>: the values of one field of a flow that make it land on a chosen queue.</summary>
internal static class PredictCommand
{
    private static readonly Option<int?> Queue = NumberOptions.OptionalWhole("--queue", 0, ushort.MaxValue, "The queue the flow must land on (required).", "Q");

    private static readonly Option<string> Vary = new("--vary")
    {
        Description = "The field to vary: sport, dport, src or dst; the other fields are fixed by --src/--dst/--sport/--dport/--proto.",
        Required = true,
        HelpName = "sport|dport|src|dst",
    };

    private static readonly Option<string?> Range = new("--range")
    {
        Description = "The values to consider: LO-HI (ports, or addresses), or an address prefix ADDR/LEN (default: all 65,536 ports; addresses need a range).",
        HelpName = "LO-HI|PREFIX",
    };

    private static readonly Option<string?> Nearest = new("--nearest")
    {
        Description = "Print only the value in the range nearest to this one that lands on the queue.",
        HelpName = "VALUE",
    };

    private static readonly Option<bool> Complement = new("--complement")
    {
        Description = "Print only the value to XOR into the field's given value (--sport, --dport, --src or --dst) so the flow lands on the queue.",
    };

    public static Command Create()
    {
        var command = new Command("predict", "List the values of one field of a flow (source or destination port or address) that make RSS steer it to a chosen queue.")
        {
            Queue,
            Vary,
            Range,
            Nearest,
            Complement,
            CommonOptions.Json,
        };
        foreach (Option option in CommonOptions.Configuration.Concat(TupleOptions.All))
        {
            command.Add(option);
        }

        Vary.AcceptOnlyFromAmong("sport", "dport", "src", "dst");
        command.SetAction((parse, token) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, () => Run(parse, token)));
        return command;
    }

    private static ExitCode Run(ParseResult parse, CancellationToken token)
    {
        TextWriter stdout = parse.InvocationConfiguration.Output;
        int queues = NicOptions.QueueCount(parse);
        RssConfiguration configuration = RssOptions.Build(parse, queues);
        TupleField field = parse.GetValue(Vary) switch
        {
            "sport" => TupleField.SourcePort,
            "dport" => TupleField.DestinationPort,
            "src" => TupleField.Source,
            _ => TupleField.Destination,
        };
        int queue = parse.GetValue(Queue) ?? throw new UsageException("--queue: missing; give the queue the flow must land on");
        if (queue >= queues)
        {
            throw new UsageException($"--queue: queue {queue} does not exist; with {queues} queues they are 0 to {queues - 1}");
        }

        bool complement = parse.GetValue(Complement);
        RssTuple tuple = TupleOptions.Read(parse, complement ? null : field);
        var predictor = new RssPredictor(configuration, queues, tuple, field);
        (UInt128 low, UInt128 high) = ReadRange(parse.GetValue(Range), predictor);
        bool json = parse.GetValue(CommonOptions.Json);
        if (complement)
        {
            UInt128? xor = predictor.Complement(queue);
            Write(stdout, json, predictor, queue, "complement", xor, xor is UInt128 x ? predictor.CurrentValue ^ x : null);
            return xor is null ? ExitCode.InvalidArguments : ExitCode.Ok;
        }

        if (parse.GetValue(Nearest) is string wantedText)
        {
            UInt128 wanted = ParseValue(wantedText, predictor, "--nearest");
            UInt128? nearest = predictor.Nearest(queue, wanted, low, high);
            Write(stdout, json, predictor, queue, "nearest", nearest, nearest);
            return ExitCode.Ok;
        }

        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                WriteHead(w, predictor, queue);
                w.WriteString("range_low", Format(low, predictor));
                w.WriteString("range_high", Format(high, predictor));
                w.WriteStartArray("values");
                long count = 0;
                foreach (UInt128 value in predictor.Candidates(queue, low, high))
                {
                    if ((++count & 0xFFFF) == 0)
                    {
                        token.ThrowIfCancellationRequested();
                    }

                    WriteValue(w, value, predictor);
                }

                w.WriteEndArray();
                w.WriteNumber("count", count);
            });
            return ExitCode.Ok;
        }

        long listed = 0;
        foreach (UInt128 value in predictor.Candidates(queue, low, high))
        {
            if ((++listed & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            stdout.WriteLine(Format(value, predictor));
        }

        parse.InvocationConfiguration.Error.WriteLine($"{listed} value(s) of {parse.GetValue(Vary)} from {Format(low, predictor)} to {Format(high, predictor)} land on queue {queue} of {queues} ({ReportNames.Name(predictor.Report)})");
        return ExitCode.Ok;
    }

    private static void Write(TextWriter stdout, bool json, RssPredictor predictor, int queue, string what, UInt128? value, UInt128? result)
    {
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                WriteHead(w, predictor, queue);
                if (value is UInt128 v)
                {
                    w.WritePropertyName(what);
                    WriteValue(w, v, predictor);
                    w.WritePropertyName("value");
                    WriteValue(w, result!.Value, predictor);
                }
                else
                {
                    w.WriteNull(what);
                }
            });
            return;
        }

        stdout.WriteLine(value is UInt128 found
            ? what == "complement" ? $"{Format(found, predictor)} (gives {Format(result!.Value, predictor)})" : Format(found, predictor)
            : $"none: no {what} value lands on queue {queue}");
    }

    private static void WriteHead(Utf8JsonWriter w, RssPredictor predictor, int queue)
    {
        RssTuple t = predictor.Tuple;
        w.WriteNumber("queue", queue);
        w.WriteString("vary", predictor.Field switch
        {
            TupleField.SourcePort => "sport",
            TupleField.DestinationPort => "dport",
            TupleField.Source => "src",
            _ => "dst",
        });
        w.WriteString("report", ReportNames.Name(predictor.Report));
        w.WriteStartObject("fixed");
        if (predictor.Field != TupleField.Source)
        {
            w.WriteString("src", t.Source.ToString());
        }

        if (predictor.Field != TupleField.Destination)
        {
            w.WriteString("dst", t.Destination.ToString());
        }

        w.WriteString("proto", t.Transport.ToString().ToLowerInvariant());
        if (t.Transport != Packets.TransportProtocol.None && predictor.Field != TupleField.SourcePort)
        {
            w.WriteNumber("sport", t.SourcePort);
        }

        if (t.Transport != Packets.TransportProtocol.None && predictor.Field != TupleField.DestinationPort)
        {
            w.WriteNumber("dport", t.DestinationPort);
        }

        if (t.HomeAddress is not null)
        {
            w.WriteString("home", t.HomeAddress.ToString());
        }

        if (t.RoutingAddress is not null)
        {
            w.WriteString("routing", t.RoutingAddress.ToString());
        }

        w.WriteEndObject();
        w.WriteStartObject("configuration");
        ConfigurationPrinter.WriteJson(w, predictor.Configuration, predictor.QueueCount);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, UInt128 value, RssPredictor predictor)
    {
        if (predictor.FieldBits == 16)
        {
            w.WriteNumberValue((int)value);
        }
        else
        {
            w.WriteStringValue(Format(value, predictor));
        }
    }

    private static string Format(UInt128 value, RssPredictor predictor)
    {
        if (predictor.FieldBits == 16)
        {
            return ((int)value).ToString(CultureInfo.InvariantCulture);
        }

        Span<byte> bytes = stackalloc byte[predictor.FieldBits / 8];
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        return new IPAddress(bytes).ToString();
    }

    private static (UInt128 Low, UInt128 High) ReadRange(string? text, RssPredictor predictor)
    {
        if (text is null)
        {
            if (predictor.FieldBits != 16)
            {
                throw new UsageException("--range: give the addresses to consider, as LO-HI or a prefix such as 198.51.100.0/24");
            }

            return (0, ushort.MaxValue);
        }

        UInt128 low;
        UInt128 high;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && predictor.FieldBits != 16)
        {
            UInt128 start = ParseValue(text[..slash], predictor, "--range");
            if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > predictor.FieldBits)
            {
                throw new UsageException($"--range: '{text}' has no prefix length from 0 to {predictor.FieldBits}");
            }

            UInt128 hostMask = length == 0 ? predictor.MaxValue : (UInt128.One << (predictor.FieldBits - length)) - 1;
            low = start & ~hostMask & predictor.MaxValue;
            high = low | hostMask;
        }
        else
        {
            int dash = text.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0)
            {
                throw new UsageException($"--range: '{text}' is not LO-HI{(predictor.FieldBits == 16 ? "" : " or ADDR/LEN")}");
            }

            low = ParseValue(text[..dash], predictor, "--range");
            high = ParseValue(text[(dash + 1)..], predictor, "--range");
        }

        if (low > high)
        {
            throw new UsageException($"--range: '{text}' starts after it ends");
        }

        return (low, high);
    }

    private static UInt128 ParseValue(string text, RssPredictor predictor, string option)
    {
        text = text.Trim();
        if (predictor.FieldBits == 16)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > ushort.MaxValue)
            {
                throw new UsageException($"{option}: '{text}' is not a port (0 to 65535)");
            }

            return (UInt128)port;
        }

        AddressFamily family = predictor.FieldBits == 32 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily != family)
        {
            throw new UsageException($"{option}: '{text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address like the flow's");
        }

        UInt128 value = 0;
        foreach (byte b in address.GetAddressBytes())
        {
            value = value << 8 | b;
        }

        return value;
    }
}
