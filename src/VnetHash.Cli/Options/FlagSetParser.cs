using System.Globalization;

namespace VnetHash.Cli.Options;

/// <summary>
/// Reads an option that names a set of bits: a comma list of names, <c>all</c>, <c>none</c>, or a 0x (or decimal)
/// mask; and writes a set back as names. Names match with <c>-</c> and <c>_</c> taken alike, in any case.
/// </summary>
internal sealed class FlagSetParser
{
    private readonly string _option;
    private readonly string[] _names;
    private readonly string _one;
    private readonly string _all;

    /// <param name="option">The option's name, for messages (<c>--types</c>).</param>
    /// <param name="names">The name of bit 0, bit 1, … in order.</param>
    /// <param name="one">What one name is, for messages (<c>type</c>).</param>
    /// <param name="all">What the defined bits are together, for messages (<c>nine hash types</c>).</param>
    public FlagSetParser(string option, string[] names, string one, string all)
    {
        _option = option;
        _names = names;
        _one = one;
        _all = all;
        All = (1u << names.Length) - 1;
    }

    /// <summary>Every defined bit.</summary>
    public uint All { get; }

    /// <summary>The names in bit order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The bits <paramref name="text"/> names.</summary>
    /// <exception cref="UsageException">An empty value, an unknown name, or a mask with bits no name has.</exception>
    public uint Parse(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new UsageException($"{_option}: the value is empty; give a comma list of {Known}");
        }

        string trimmed = text.Trim();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return uint.TryParse(trimmed.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask)
                ? CheckMask(mask)
                : throw new UsageException($"{_option}: '{trimmed}' is not a hex mask");
        }

        if (uint.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out uint decimalMask))
        {
            return CheckMask(decimalMask);
        }

        uint bits = 0;
        foreach (string part in parts)
        {
            string name = Normalize(part);
            if (name == "all")
            {
                bits |= All;
            }
            else if (name != "none")
            {
                int index = Array.FindIndex(_names, n => Normalize(n) == name);
                bits |= index >= 0 ? 1u << index : throw new UsageException($"{_option}: unknown {_one} '{part}' (known: {Known})");
            }
        }

        return bits;
    }

    /// <summary>The names of the set bits, comma separated; <c>none</c> for no bit.</summary>
    public string Format(uint bits)
    {
        // A loop, not LINQ: in the Native AOT tool, LINQ's iterators call generic virtual methods, which the runtime
        // resolves on their first call by looking types up (a quarter of a millisecond here, in every report's heading).
        var set = new List<string>(_names.Length);
        for (int i = 0; i < _names.Length; i++)
        {
            if ((bits & (1u << i)) != 0)
            {
                set.Add(_names[i]);
            }
        }

        return set.Count == 0 ? "none" : string.Join(',', set);
    }

    private string Known => $"{string.Join(", ", _names)}, all, none, or a 0x mask";

    private static string Normalize(string name) => name.ToLowerInvariant().Replace('_', '-');

    private uint CheckMask(uint mask) => (mask & ~All) == 0 ? mask
        : throw new UsageException($"{_option}: mask 0x{mask:x} has bits beyond the {_all} (0x{All:x})");
}
