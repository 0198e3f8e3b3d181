using System.Globalization;
using System.Text.RegularExpressions;
using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>
/// Reads what <c>ethtool -x IF</c> prints (indirection table, hash key, hash function, input transformation),
/// optionally followed by <c>ethtool -n IF rx-flow-hash FLOW</c> outputs, which say what each flow type hashes.
/// </summary>
public static partial class EthtoolRssText
{
    /// <summary>Parses the text.</summary>
    /// <exception cref="FormatException">The text is not ethtool's output, or a section is malformed; the message names the line.</exception>
    /// <exception cref="ConfigurationException">ethtool said the device has no RSS, or a flow type hashes fields no hash type describes.</exception>
    public static EthtoolRss Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        string? device = null;
        int rings = 0;
        var table = new List<ushort>();
        byte[] key = [];
        var functions = EthtoolHashFunctions.None;
        var transform = EthtoolInputTransform.None;
        HashTypes? types = null;
        if (!lines.Any(l => TableHeader().IsMatch(l.Trim()) || IsError(l.Trim())))
        {
            throw new FormatException("no 'RX flow hash indirection table for IF with N RX ring(s):' line: this is not what ethtool -x prints");
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            Match header = TableHeader().Match(line);
            if (header.Success)
            {
                device = header.Groups[1].Value;
                rings = Count(header.Groups[2].Value, MaxRings, i + 1, "RX ring count");
                while (i + 1 < lines.Length && TableRow().Match(lines[i + 1].Trim()) is { Success: true } row)
                {
                    i++;
                    if (Count(row.Groups[1].Value, int.MaxValue, i + 1, "row's first entry") != table.Count)
                    {
                        throw new FormatException($"line {i + 1}: the row starts at entry {row.Groups[1].Value}, expected {table.Count}");
                    }

                    foreach (string entry in row.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!ushort.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out ushort queue))
                        {
                            throw new FormatException($"line {i + 1}: '{entry}' is not a queue index");
                        }

                        table.Add(queue);
                    }
                }
            }
            else if (line == "RSS hash key:")
            {
                string next = i + 1 < lines.Length ? lines[++i].Trim() : "";
                key = next.StartsWith("Operation not supported", StringComparison.Ordinal) ? [] : ParseKey(next, i + 1);
            }
            else if (line == "RSS hash function:")
            {
                while (i + 1 < lines.Length && Setting().Match(lines[i + 1].Trim()) is { Success: true } setting)
                {
                    i++;
                    bool on = setting.Groups[2].Value == "on";
                    functions |= setting.Groups[1].Value switch
                    {
                        "toeplitz" when on => EthtoolHashFunctions.Toeplitz,
                        "xor" when on => EthtoolHashFunctions.Xor,
                        "crc32" when on => EthtoolHashFunctions.Crc32,
                        _ => EthtoolHashFunctions.None,
                    };
                    if (on && setting.Groups[1].Value is not ("toeplitz" or "xor" or "crc32"))
                    {
                        functions |= (EthtoolHashFunctions)(1u << 31);
                    }
                }
            }
            else if (line == "RSS input transformation:")
            {
                while (i + 1 < lines.Length && Setting().Match(lines[i + 1].Trim()) is { Success: true } setting)
                {
                    i++;
                    if (setting.Groups[2].Value == "on")
                    {
                        transform |= setting.Groups[1].Value == "symmetric-xor" ? EthtoolInputTransform.SymmetricXor : EthtoolInputTransform.SymmetricOrXor;
                    }
                }
            }
            else if (FlowHeader().Match(line) is { Success: true } flow)
            {
                EthtoolFlowType flowType = FlowType(flow.Groups[1].Value, i + 1);
                EthtoolFlowFields fields = EthtoolFlowFields.None;
                if (flow.Groups[2].Success)
                {
                    fields = EthtoolFlowFields.Discard;
                }
                else
                {
                    while (i + 1 < lines.Length && FieldBit(lines[i + 1].Trim()) is EthtoolFlowFields bit)
                    {
                        i++;
                        fields |= bit;
                    }
                }

                types = EthtoolFlowHash.Apply(types ?? HashTypes.AllNonEx, flowType, fields);
            }
            else if (IsError(line))
            {
                throw new ConfigurationException(ConfigurationRule.NoRss, "indirection_table", $"ethtool could not read the device's RSS settings ('{line}'): the device does not support RSS, or ethtool lacked the rights");
            }
            else if (line != "Operation not supported" && !line.StartsWith("Unknown", StringComparison.Ordinal))
            {
                throw new FormatException($"line {i + 1}: '{line}' is not part of what ethtool -x or ethtool -n rx-flow-hash prints");
            }
        }

        return new EthtoolRss(device, rings, [.. table], key, functions, transform, types);
    }

    private static bool IsError(string line) => line.StartsWith("Cannot get", StringComparison.Ordinal) || line.StartsWith("netlink error", StringComparison.Ordinal);

    private static byte[] ParseKey(string text, int lineNumber)
    {
        string[] parts = text.Split(':');
        var key = new byte[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out key[i]))
            {
                throw new FormatException($"line {lineNumber}: the hash key '{text}' is not colon-separated hex bytes");
            }
        }

        return key;
    }

    private static EthtoolFlowType FlowType(string name, int lineNumber) => name switch
    {
        "TCP over IPV4" => EthtoolFlowType.TcpV4,
        "UDP over IPV4" => EthtoolFlowType.UdpV4,
        "TCP over IPV6" => EthtoolFlowType.TcpV6,
        "UDP over IPV6" => EthtoolFlowType.UdpV6,
        "IPV4" => EthtoolFlowType.IPv4,
        "IPV6" => EthtoolFlowType.IPv6,
        _ => throw new FormatException($"line {lineNumber}: '{name} flows' have no virtio-net hash type"),
    };

    private static EthtoolFlowFields? FieldBit(string line)
    {
        if (line == "None")
        {
            return EthtoolFlowFields.None;
        }

        foreach ((EthtoolFlowFields bit, string name) in EthtoolFlowHash.Names)
        {
            if (line == name)
            {
                return bit;
            }
        }

        return null;
    }

    // A table entry is 16 bits wide, so no table can name more rings than this.
    private const int MaxRings = 65536;

    /// <summary>A whole number of ethtool's output, refused by line when it is above <paramref name="max"/>.</summary>
    private static int Count(string digits, int max, int line, string what) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= max
            ? value
            : throw new FormatException($"line {line}: the {what} {digits} is out of range (at most {max})");

    [GeneratedRegex(@"^RX flow hash indirection table for (\S+) with (\d+) RX ring\(s\):$")]
    private static partial Regex TableHeader();

    [GeneratedRegex(@"^(\d+):((?:\s+\d+)+)$")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^([a-z0-9-]+): (on|off)$")]
    private static partial Regex Setting();

    [GeneratedRegex(@"^(.+?) flows(?: use these fields for computing Hash flow key:| - (All matching flows discarded on RX))$")]
    private static partial Regex FlowHeader();
}
