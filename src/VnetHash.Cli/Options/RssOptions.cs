using System.CommandLine;
using System.Globalization;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Options;

/// <summary>Builds the RSS configuration a command's options (<see cref="CommonOptions.Configuration"/>) describe.</summary>
internal static class RssOptions
{
    /// <summary>The length of the default table, as ethtool and most drivers start with.</summary>
    public const int DefaultTableLength = 128;

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

    public static string FormatSymmetric(SymmetricMode mode) => mode switch
    {
        SymmetricMode.SortedTuple => "sorted",
        SymmetricMode.Xor => "xor",
        _ => "none",
    };

    public static ushort[] ParseTable(string text)
    {
        var entries = new List<ushort>();
        foreach (string part in text.Split([',', ' ', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ushort.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ushort entry))
            {
                throw new UsageException($"--table: entry {entries.Count} is '{part}', not a queue index (a whole number from 0 to {ushort.MaxValue})");
            }

            entries.Add(entry);
        }

        if (entries.Count == 0)
        {
            throw new UsageException("--table: the table has no entries; give a comma list of queue indices");
        }

        return [.. entries];
    }

    public static ushort[] RoundRobinTable(int queues, int length = DefaultTableLength)
    {
        var table = new ushort[length];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ushort)(i % queues);
        }

        return table;
    }

    /// <summary>
    /// The table --table gives, or the default: round-robin over <paramref name="queues"/>, 128 entries or, for
    /// more queues, the next power of two, so every queue has at least one entry.
    /// </summary>
    public static ushort[] Table(ParseResult parse, int queues) =>
        parse.GetValue(CommonOptions.Table) is string text ? ParseTable(text)
            : RoundRobinTable(queues, Math.Max(DefaultTableLength, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)queues)));

    /// <summary>The key --key (or <paramref name="text"/>) names; a random key is printed in full on stderr so the run can be repeated.</summary>
    public static byte[] Key(ParseResult parse, string? text)
    {
        byte[] key = KeyParser.Parse(text);
        if (KeyParser.IsRandom(text))
        {
            parse.InvocationConfiguration.Error.WriteLine($"note: --key random chose {Hex.Format(key)}; give it as --key to repeat this run");
        }

        return key;
    }

    /// <summary>
    /// The configuration from --key, --types, --table, --unclassified, --profile, --symmetric over
    /// <paramref name="queues"/> queues. Queue indices must be below the queue count unless --wrap-queues asks
    /// for the kernel's modulo.
    /// </summary>
    public static RssConfiguration Build(ParseResult parse, int queues, byte[]? keyOverride = null)
    {
        HashTypes types = HashTypesParser.Parse(parse.GetValue(CommonOptions.Types));
        ushort[] table = Table(parse, queues);
        int unclassified = parse.GetValue(CommonOptions.Unclassified);
        if (!parse.GetValue(CommonOptions.WrapQueues))
        {
            CheckQueueIndices(table, unclassified, queues);
        }

        HashProfile profile = ParseProfile(parse.GetValue(CommonOptions.Profile));
        SymmetricMode symmetric = ParseSymmetric(parse.GetValue(CommonOptions.Symmetric));
        byte[] key = keyOverride ?? Key(parse, parse.GetValue(CommonOptions.Key));
        return RssConfiguration.Create(types, key, table, (ushort)unclassified, profile, symmetric);
    }

    /// <summary>Refuses queue indices at or above the queue count, as ethtool -X does.</summary>
    public static void CheckQueueIndices(ReadOnlySpan<ushort> table, int unclassified, int queues)
    {
        string rule = queues == 1
            ? "with 1 queue the only index is 0"
            : $"with {queues} queues the indices are 0 to {queues - 1}";
        string remedy = $"add --wrap-queues to take it modulo {queues}, as the tun series' kernel does";
        for (int i = 0; i < table.Length; i++)
        {
            if (table[i] >= queues)
            {
                throw new UsageException($"--table: entry {i} names queue {table[i]}, which does not exist: {rule}; {remedy}");
            }
        }

        if (unclassified >= queues)
        {
            throw new UsageException($"--unclassified: queue {unclassified} does not exist: {rule}; {remedy}");
        }
    }
}
