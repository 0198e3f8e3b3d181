using System.Text.Json;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Options;

/// <summary>Shows an RSS configuration whole: in the layout of <c>ethtool -x</c>, or as JSON fields every command shares.</summary>
internal static class ConfigurationPrinter
{
    public static void Print(RssConfiguration configuration, int queues, bool json, TextWriter stdout)
    {
        if (json)
        {
            JsonOutput.Write(stdout, w => WriteJson(w, configuration, queues));
            return;
        }

        // ethtool: "%5u: " at the start of each row of 8, then " %5u" per entry.
        ReadOnlySpan<ushort> table = configuration.IndirectionTable;
        stdout.WriteLine($"RX flow hash indirection table with {queues} RX ring(s):");
        for (int i = 0; i < table.Length; i++)
        {
            if (i % 8 == 0)
            {
                stdout.Write($"{i,5}: ");
            }

            stdout.Write($" {table[i],5}");
            if (i % 8 == 7 || i == table.Length - 1)
            {
                stdout.WriteLine();
            }
        }

        stdout.WriteLine("RSS hash key:");
        stdout.WriteLine(Hex.FormatColon(configuration.Key));
        stdout.WriteLine("RSS hash function:");
        stdout.WriteLine("    toeplitz: on");
        stdout.WriteLine("    xor: off");
        stdout.WriteLine("    crc32: off");

        // ethtool names the XOR transformation symmetric-xor; the sorted one has no ethtool name, so it keeps ours.
        stdout.WriteLine("RSS input transformation:");
        stdout.WriteLine($"    symmetric-xor: {OnOff(configuration.Symmetric == SymmetricMode.Xor)}");
        stdout.WriteLine($"    symmetric-sorted: {OnOff(configuration.Symmetric == SymmetricMode.SortedTuple)}");
        stdout.WriteLine($"Hash types: {HashTypesParser.Format(configuration.Types)} (0x{(uint)configuration.Types:x})");
        stdout.WriteLine($"Unclassified queue: {configuration.UnclassifiedQueue}");
        stdout.WriteLine($"Profile: {RssOptions.FormatProfile(configuration.Profile)}");
    }

    /// <summary>The configuration's fields, the same in every JSON the tool writes.</summary>
    public static void WriteJson(Utf8JsonWriter w, RssConfiguration configuration, int queues)
    {
        w.WriteNumber("queues", queues);
        w.WriteString("key", Hex.Format(configuration.Key));
        w.WriteString("types", HashTypesParser.Format(configuration.Types));
        w.WriteNumber("types_mask", (uint)configuration.Types);
        w.WriteStartArray("indirection_table");
        foreach (ushort entry in configuration.IndirectionTable)
        {
            w.WriteNumberValue(entry);
        }

        w.WriteEndArray();
        w.WriteNumber("unclassified_queue", configuration.UnclassifiedQueue);
        w.WriteString("profile", RssOptions.FormatProfile(configuration.Profile));
        w.WriteString("symmetric", RssOptions.FormatSymmetric(configuration.Symmetric));
    }

    /// <summary>One line for the head of a report: everything needed to repeat the run, the key in full.</summary>
    public static string Summary(RssConfiguration configuration, int queues) =>
        $"{queues} queues, key {Hex.Format(configuration.Key)} ({configuration.Key.Length} bytes), types {HashTypesParser.Format(configuration.Types)}, " +
        $"table {Table(configuration, queues)}, unclassified queue {configuration.UnclassifiedQueue}, " +
        $"profile {RssOptions.FormatProfile(configuration.Profile)}, symmetric {RssOptions.FormatSymmetric(configuration.Symmetric)}";

    /// <summary>The indirection table in words when it is the default one, in full otherwise.</summary>
    public static string Table(RssConfiguration configuration, int queues)
    {
        ReadOnlySpan<ushort> table = configuration.IndirectionTable;
        return table.SequenceEqual(RssOptions.RoundRobinTable(queues, table.Length))
            ? $"of {table.Length} entries round-robin over the {queues} queues"
            : string.Join(',', table.ToArray());
    }

    private static string OnOff(bool on) => on ? "on" : "off";
}
