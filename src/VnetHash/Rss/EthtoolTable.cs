using System.Globalization;

namespace VnetHash.Rss;

/// <summary>
/// Indirection tables as <c>ethtool -X IF [start N] equal N | weight W… | default</c> builds them, so a table given
/// in ethtool's words here is the table the NIC gets.
/// </summary>
public static class EthtoolTable
{
    /// <summary><c>equal N</c>: entry i goes to queue start + i mod N.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or start is out of range.</exception>
    internal static ushort[] Equal(int tableLength, int queues, int start = 0)
    {
        ThrowIfBadLength(tableLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(queues, 1);
        ThrowIfBadStart(start, queues);
        var table = new ushort[tableLength];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ushort)(start + i % queues);
        }

        return table;
    }

    /// <summary>
    /// <c>weight W0 W1 …</c>: ethtool fills the entries in order, queue j taking the entries i for which
    /// i &lt; length × (W0 + … + Wj) / ΣW (integer division) that no earlier queue took, so each queue gets a
    /// contiguous run of about length × Wj / ΣW entries.
    /// </summary>
    /// <exception cref="ArgumentException">All weights are zero, or they add up to more than the table length (ethtool refuses both).</exception>
    public static ushort[] Weighted(int tableLength, ReadOnlySpan<int> weights, int start = 0)
    {
        ThrowIfBadLength(tableLength);
        long sum = 0;
        foreach (int weight in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(weight, nameof(weights));
            sum += weight;
        }

        if (sum == 0)
        {
            throw new ArgumentException("at least one weight must be non-zero", nameof(weights));
        }

        if (sum > tableLength)
        {
            throw new ArgumentException($"the weights add up to {sum}, more than the {tableLength} table entries", nameof(weights));
        }

        ThrowIfBadStart(start, weights.Length);
        var table = new ushort[tableLength];
        long partial = 0;
        int queue = -1;
        for (int i = 0; i < tableLength; i++)
        {
            while (i >= tableLength * partial / sum)
            {
                queue++;
                partial += weights[queue];
            }

            table[i] = (ushort)(start + queue);
        }

        return table;
    }

    /// <summary>
    /// Parses ethtool's table words (<c>equal 4</c>, <c>weight 1 2 2 1</c>, <c>start 2 equal 2</c>, <c>default</c>)
    /// for a table of <paramref name="tableLength"/> entries over <paramref name="queueCount"/> queues; <c>default</c>
    /// is the kernel's default spread, i mod queues.
    /// </summary>
    /// <exception cref="FormatException">The words are not ethtool's table syntax, or ethtool would refuse them.</exception>
    public static ushort[] Parse(string text, int tableLength, int queueCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] words = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        int start = 0;
        int? equal = null;
        List<int>? weights = null;
        bool useDefault = false;
        for (int i = 0; i < words.Length; i++)
        {
            switch (words[i])
            {
                case "start":
                    start = Number(words, ++i, "start");
                    break;
                case "equal":
                    equal = Number(words, ++i, "equal");
                    if (equal < 1)
                    {
                        throw new FormatException("equal: the queue count must be at least 1");
                    }

                    break;
                case "weight":
                    weights = [];
                    while (i + 1 < words.Length && char.IsAsciiDigit(words[i + 1][0]))
                    {
                        weights.Add(Number(words, ++i, "weight"));
                    }

                    if (weights.Count == 0)
                    {
                        throw new FormatException("weight: no weights follow");
                    }

                    break;
                case "default":
                    useDefault = true;
                    break;
                default:
                    throw new FormatException($"'{words[i]}' is not part of ethtool's table syntax (equal N, weight W..., start N, default)");
            }
        }

        if ((equal is not null ? 1 : 0) + (weights is not null ? 1 : 0) + (useDefault ? 1 : 0) != 1)
        {
            throw new FormatException("give exactly one of equal N, weight W... and default");
        }

        try
        {
            return useDefault ? Equal(tableLength, queueCount)
                : equal is int n ? Equal(tableLength, n, start)
                : Weighted(tableLength, [.. weights!], start);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message.Split(" (Parameter")[0], e);
        }
    }

    private static int Number(string[] words, int index, string word)
    {
        if (index >= words.Length || !int.TryParse(words[index], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormatException($"{word}: expected a number{(index < words.Length ? $", got '{words[index]}'" : "")}");
        }

        return value;
    }

    private static void ThrowIfBadLength(int tableLength)
    {
        if (tableLength < 1 || tableLength > RssConfiguration.MaxIndirectionTableLength)
        {
            throw new ArgumentOutOfRangeException(nameof(tableLength), tableLength, $"a table has 1 to {RssConfiguration.MaxIndirectionTableLength} entries");
        }
    }

    private static void ThrowIfBadStart(int start, int queues)
    {
        if (start < 0 || start + queues - 1 > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"queues start..start+{queues - 1} must be queue indices");
        }
    }
}
