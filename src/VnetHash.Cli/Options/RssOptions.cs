using System.CommandLine;
using System.Globalization;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Options;

/// <summary>Builds the RSS configuration a command's options describe.</summary>
internal static class RssOptions
{
    public static HashProfile ParseProfile(string? text) => text switch
    {
        null or "virtio-spec" => HashProfile.VirtioSpec,
        "linux-tun" => HashProfile.LinuxTun,
        _ => throw new UsageException($"--profile: unknown profile '{text}' (virtio-spec or linux-tun)"),
    };

    public static SymmetricMode ParseSymmetric(string? text) => text switch
    {
        null or "none" => SymmetricMode.None,
        "sorted" => SymmetricMode.SortedTuple,
        "xor" => SymmetricMode.Xor,
        _ => throw new UsageException($"--symmetric: unknown mode '{text}' (none, sorted or xor)"),
    };

    public static string FormatProfile(HashProfile profile) => profile == HashProfile.LinuxTun ? "linux-tun" : "virtio-spec";

    public static ushort[] ParseTable(string text)
    {
        var entries = new List<ushort>();
        foreach (string part in text.Split([',', ' ', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ushort.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ushort entry))
            {
                throw new UsageException($"--table: '{part}' is not a queue index from 0 to {ushort.MaxValue}");
            }

            entries.Add(entry);
        }

        if (entries.Count == 0)
        {
            throw new UsageException("--table: the table is empty");
        }

        return [.. entries];
    }

    public static ushort[] RoundRobinTable(int queues, int length = 128)
    {
        var table = new ushort[length];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ushort)(i % queues);
        }

        return table;
    }

    public static int ReadQueues(ParseResult parse)
    {
        int queues = parse.GetValue(CommonOptions.Queues);
        if (queues < 1 || queues > ushort.MaxValue + 1)
        {
            throw new UsageException($"--queues: must be from 1 to {ushort.MaxValue + 1}, got {queues}");
        }

        return queues;
    }

    /// <summary>The configuration from --key, --types, --table, --queues, --unclassified, --profile, --symmetric.</summary>
    public static RssConfiguration Build(ParseResult parse, byte[]? keyOverride = null)
    {
        int queues = ReadQueues(parse);
        byte[] key = keyOverride ?? KeyParser.Parse(parse.GetValue(CommonOptions.Key));
        HashTypes types = HashTypesParser.Parse(parse.GetValue(CommonOptions.Types));
        string? tableText = parse.GetValue(CommonOptions.Table);
        ushort[] table = tableText is null ? RoundRobinTable(queues) : ParseTable(tableText);
        int unclassified = parse.GetValue(CommonOptions.Unclassified);
        if (unclassified < 0 || unclassified > ushort.MaxValue)
        {
            throw new UsageException($"--unclassified: must be a queue index from 0 to {ushort.MaxValue}, got {unclassified}");
        }

        HashProfile profile = ParseProfile(parse.GetValue(CommonOptions.Profile));
        SymmetricMode symmetric = ParseSymmetric(parse.GetValue(CommonOptions.Symmetric));
        return RssConfiguration.Create(types, key, table, (ushort)unclassified, profile, symmetric);
    }
}
