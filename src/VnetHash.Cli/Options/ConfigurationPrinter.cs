using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Options;

/// <summary>Prints an RSS configuration in the layout of <c>ethtool -x</c>, or as JSON.</summary>
internal static class ConfigurationPrinter
{
    /// <summary>The configuration's fields as JSON properties of the object being written.</summary>
    public static void WriteJson(System.Text.Json.Utf8JsonWriter w, RssConfiguration configuration, int queues)
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

    public static void Print(RssConfiguration configuration, int queues, bool json, TextWriter stdout)
    {
        ReadOnlySpan<ushort> table = configuration.IndirectionTable;
        if (json)
        {
            JsonOutput.Write(stdout, w => WriteJson(w, configuration, queues));
            return;
        }

        // ethtool: "%5u: " at the start of each row of 8, then " %5u" per entry.
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
        stdout.WriteLine($"Hash types: {HashTypesParser.Format(configuration.Types)} (0x{(uint)configuration.Types:x})");
        stdout.WriteLine($"Unclassified queue: {configuration.UnclassifiedQueue}");
        stdout.WriteLine($"Profile: {RssOptions.FormatProfile(configuration.Profile)}");
    }
}
