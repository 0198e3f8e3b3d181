using VnetHash.Hashing;

namespace VnetHash.Cli.Options;

/// <summary>Reads <c>--types</c>: a comma list of type names, <c>all</c>, <c>none</c>, or a 0x mask.</summary>
public static class HashTypesParser
{
    private static readonly FlagSetParser Parser = new(
        "--types", ["ipv4", "tcpv4", "udpv4", "ipv6", "tcpv6", "udpv6", "ipv6_ex", "tcpv6_ex", "udpv6_ex"], "type", "nine hash types");

    /// <summary>The type names in bit order.</summary>
    public static IEnumerable<string> TypeNames => Parser.Names;

    /// <summary>The types for <paramref name="text"/>; all nine when it is null (the option was not given).</summary>
    public static HashTypes Parse(string? text) => text is null ? HashTypes.All : (HashTypes)Parser.Parse(text);

    /// <summary>The names of the types set in <paramref name="types"/>, comma separated.</summary>
    public static string Format(HashTypes types) => Parser.Format((uint)types);
}
