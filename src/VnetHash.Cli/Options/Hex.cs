namespace VnetHash.Cli.Options;

/// <summary>Hex text in the forms people paste: plain, 0x-prefixed, or separated by colons, spaces or dashes.</summary>
public static class Hex
{
    /// <summary>Parses <paramref name="text"/> or throws a <see cref="FormatException"/> naming the bad character.</summary>
    public static byte[] Parse(string text, string what)
    {
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        var bytes = new List<byte>(s.Length / 2);
        int high = -1;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is ':' or ' ' or '-' or '\t')
            {
                if (high >= 0)
                {
                    throw new FormatException($"{what}: a lone hex digit before position {i}; write every byte as two digits");
                }

                continue;
            }

            int v = HexValue(c);
            if (v < 0)
            {
                throw new FormatException($"{what}: '{c}' at position {i} is not a hex digit");
            }

            if (high < 0)
            {
                high = v;
            }
            else
            {
                bytes.Add((byte)((high << 4) | v));
                high = -1;
            }
        }

        if (high >= 0)
        {
            throw new FormatException($"{what}: odd number of hex digits");
        }

        return [.. bytes];
    }

    /// <summary>Lowercase hex without separators.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Lowercase colon-separated hex, as ethtool prints keys.</summary>
    public static string FormatColon(ReadOnlySpan<byte> bytes) => string.Join(':', bytes.ToArray().Select(b => b.ToString("x2")));

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
