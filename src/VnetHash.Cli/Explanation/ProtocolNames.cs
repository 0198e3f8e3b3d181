namespace VnetHash.Cli.Explanation;

/// <summary>Names of EtherTypes and IP protocol numbers, for explanations (IANA and IEEE registries).</summary>
internal static class ProtocolNames
{
    public static string EtherType(ushort type) => type switch
    {
        < 0x0600 => $"0x{type:x4} (an 802.3 length, not an EtherType)",
        _ => $"0x{type:x4}{EtherTypeName(type) switch { null => string.Empty, string name => $" ({name})" }}",
    };

    public static string IPProtocol(int protocol) =>
        IPProtocolName(protocol) is string name ? $"{protocol} ({name})" : protocol.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string? IPProtocolName(int protocol) => protocol switch
    {
        0 => "Hop-by-Hop Options",
        1 => "ICMP",
        4 => "IPv4 in IP",
        6 => "TCP",
        17 => "UDP",
        41 => "IPv6 in IP",
        43 => "Routing",
        44 => "Fragment",
        47 => "GRE",
        50 => "ESP",
        51 => "Authentication Header",
        58 => "ICMPv6",
        59 => "No Next Header",
        60 => "Destination Options",
        132 => "SCTP",
        135 => "Mobility",
        _ => null,
    };

    private static string? EtherTypeName(ushort type) => type switch
    {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x8035 => "RARP",
        0x86DD => "IPv6",
        0x8100 => "802.1Q VLAN",
        0x88A8 => "802.1ad VLAN",
        0x8847 => "MPLS",
        0x8848 => "MPLS multicast",
        0x8863 => "PPPoE discovery",
        0x8864 => "PPPoE session",
        0x88CC => "LLDP",
        0x88F7 => "PTP",
        0x9000 => "loopback",
        _ => null,
    };
}
