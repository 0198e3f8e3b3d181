using System.CommandLine;
using System.Numerics;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash key generate</c>: a Toeplitz key under which chosen fields spread evenly over the table, or both directions of a flow hash alike.</summary>
internal static class KeyCommand
{
    private static readonly Option<int> Length = NumberOptions.Whole("--length", 5, 1024, 40, "Key length in bytes (virtio and most NICs: 40; ice and i40e: 52).");

    private static readonly Option<string?> Spread = new("--spread")
    {
        Description = "Fields whose values must spread evenly over the table: comma list of sport, dport, src, dst (for every enabled type that hashes them).",
        HelpName = "FIELDS",
    };

    private static readonly Option<int> TableLength = NumberOptions.Whole("--table-length", 1, RssConfiguration.MaxIndirectionTableLength, 128, "Indirection table length the spread is for (a power of two).");

    private static readonly Option<bool> Symmetric = new("--symmetric")
    {
        Description = "Make the key symmetric: both directions of a flow hash alike under every enabled type (--types).",
    };

    private static readonly Option<int?> Seed = NumberOptions.OptionalWhole("--seed", 0, int.MaxValue, "Seed for a repeatable key (default: a cryptographically random draw).");

    public static Command Create()
    {
        var generate = new Command("generate", "Generate a Toeplitz key: one under which chosen fields spread evenly over the indirection table (--spread), or a symmetric one (--symmetric), or both.")
        {
            Length,
            Spread,
            TableLength,
            Symmetric,
            CommonOptions.Types,
            Seed,
            CommonOptions.Json,
        };
        generate.SetAction((parse, token) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, () => Generate(parse)));
        return new Command("key", "Make Toeplitz keys for a purpose.") { generate };
    }

    private static ExitCode Generate(ParseResult parse)
    {
        int length = parse.GetValue(Length);
        int tableLength = parse.GetValue(TableLength);
        if (!BitOperations.IsPow2(tableLength))
        {
            throw new UsageException($"--table-length: {tableLength} is not a power of two");
        }

        HashTypes types = HashTypesParser.Parse(parse.GetValue(CommonOptions.Types));
        bool symmetric = parse.GetValue(Symmetric);
        string[] fields = parse.GetValue(Spread)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (fields.Length == 0 && !symmetric)
        {
            throw new UsageException("say what the key is for: --spread FIELDS, --symmetric, or both");
        }

        var spread = new List<TupleField>();
        foreach (string name in fields)
        {
            spread.Add(name switch
            {
                "sport" => TupleField.SourcePort,
                "dport" => TupleField.DestinationPort,
                "src" => TupleField.Source,
                "dst" => TupleField.Destination,
                _ => throw new UsageException($"--spread: '{name}' is not sport, dport, src or dst"),
            });
        }

        Random? random = parse.GetValue(Seed) is int seed ? new Random(seed) : null;
        byte[] key;
        try
        {
            key = spread.Count > 0
                ? RssKeyGenerator.Spreading(length, tableLength, types, spread, symmetric, random)
                : RssKeyGenerator.Symmetric(length, types, random);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{(spread.Count > 0 ? "--spread" : "--symmetric")}: {e.Message.Split(" (Parameter")[0]} ({HashTypesParser.Format(types)})");
        }

        TextWriter stdout = parse.InvocationConfiguration.Output;
        if (parse.GetValue(CommonOptions.Json))
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("key", Hex.Format(key));
                w.WriteString("ethtool_hkey", Hex.FormatColon(key));
                w.WriteNumber("length", key.Length);
                w.WriteString("types", HashTypesParser.Format(types));
                w.WriteBoolean("symmetric", symmetric);
                w.WriteNumber("table_length", tableLength);
                w.WriteStartArray("spread");
                foreach (string name in fields)
                {
                    w.WriteStringValue(name);
                }

                w.WriteEndArray();
            });
        }
        else
        {
            stdout.WriteLine(Hex.Format(key));
            parse.InvocationConfiguration.Error.WriteLine($"ethtool -X IF hkey {Hex.FormatColon(key)}");
        }

        return ExitCode.Ok;
    }
}
