using System.Globalization;
using VnetHash.Hashing;

namespace VnetHash.Cli.Options;

/// <summary>Reads <c>--types</c>: a comma list of type names, <c>all</c>, <c>none</c>, or a 0x mask.</summary>
public static class HashTypesParser
{
    private static readonly (string Name, HashTypes Type)[] Names =
    [
        ("ipv4", HashTypes.IPv4),
        ("tcpv4", HashTypes.TcpV4),
        ("udpv4", HashTypes.UdpV4),
        ("ipv6", HashTypes.IPv6),
        ("tcpv6", HashTypes.TcpV6),
        ("udpv6", HashTypes.UdpV6),
        ("ipv6_ex", HashTypes.IPv6Ex),
        ("tcpv6_ex", HashTypes.TcpV6Ex),
        ("udpv6_ex", HashTypes.UdpV6Ex),
    ];

    /// <summary>The type names in bit order.</summary>
    public static IEnumerable<string> TypeNames => Names.Select(n => n.Name);

    /// <summary>The types for <paramref name="text"/>; all nine when it is null (the option was not given).</summary>
    public static HashTypes Parse(string? text)
    {
        if (text is null)
        {
            return HashTypes.All;
        }

        if (string.IsNullOrWhiteSpace(text) || text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 0)
        {
            throw new UsageException($"--types: the value is empty; give a comma list of {string.Join(", ", TypeNames)}, all, none, or a 0x mask");
        }

        string trimmed = text.Trim();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!uint.TryParse(trimmed.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask))
            {
                throw new UsageException($"--types: '{trimmed}' is not a hex mask");
            }

            return CheckMask(mask);
        }

        if (uint.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out uint decimalMask))
        {
            return CheckMask(decimalMask);
        }

        HashTypes types = HashTypes.None;
        foreach (string part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string name = part.ToLowerInvariant().Replace('-', '_');
            if (name == "all")
            {
                types |= HashTypes.All;
                continue;
            }

            if (name == "none")
            {
                continue;
            }

            int index = Array.FindIndex(Names, n => n.Name == name);
            if (index < 0)
            {
                throw new UsageException($"--types: unknown type '{part}' (known: {string.Join(", ", TypeNames)}, all, none, or a 0x mask)");
            }

            types |= Names[index].Type;
        }

        return types;
    }

    /// <summary>The names of the types set in <paramref name="types"/>, comma separated.</summary>
    public static string Format(HashTypes types)
    {
        var set = Names.Where(n => (types & n.Type) != 0).Select(n => n.Name).ToList();
        return set.Count == 0 ? "none" : string.Join(',', set);
    }

    private static HashTypes CheckMask(uint mask)
    {
        if ((mask & ~(uint)HashTypes.All) != 0)
        {
            throw new UsageException($"--types: mask 0x{mask:x} has bits beyond the nine hash types (0x{(uint)HashTypes.All:x})");
        }

        return (HashTypes)mask;
    }
}
