namespace VnetHash.Hashing;

/// <summary>Lengths of the Toeplitz input each hash type feeds.</summary>
public static class HashInput
{
    /// <summary>IPv4 source and destination.</summary>
    public const int IPv4Length = 8;
    /// <summary>IPv4 addresses and ports.</summary>
    public const int IPv4WithPortsLength = 12;
    /// <summary>IPv6 source and destination.</summary>
    public const int IPv6Length = 32;
    /// <summary>IPv6 addresses and ports.</summary>
    public const int IPv6WithPortsLength = 36;

    /// <summary>The Toeplitz input length for a report type; 0 for <see cref="HashReport.None"/>.</summary>
    public static int Length(HashReport report) => report switch
    {
        HashReport.IPv4 => IPv4Length,
        HashReport.TcpV4 or HashReport.UdpV4 => IPv4WithPortsLength,
        HashReport.IPv6 or HashReport.IPv6Ex => IPv6Length,
        HashReport.TcpV6 or HashReport.UdpV6 or HashReport.TcpV6Ex or HashReport.UdpV6Ex => IPv6WithPortsLength,
        _ => 0,
    };

    /// <summary>
    /// The key length the enabled types need: the longest input any of them hashes plus 4 bytes
    /// (12, 16, 36 or 40). A configuration with no type needs no key bytes beyond the minimum of 5.
    /// </summary>
    public static int RequiredKeyLength(HashTypes types)
    {
        int longest = 1;
        for (int report = 1; report <= 9; report++)
        {
            if (((uint)types & (1u << (report - 1))) != 0)
            {
                longest = Math.Max(longest, Length((HashReport)report));
            }
        }

        return longest + ToeplitzKey.WindowBytes;
    }

    /// <summary>The hash type bit that enables a report type.</summary>
    public static HashTypes TypeOf(HashReport report) => report == HashReport.None ? HashTypes.None : (HashTypes)(1u << ((int)report - 1));
}
