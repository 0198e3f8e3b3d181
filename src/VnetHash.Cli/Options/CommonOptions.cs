using System.CommandLine;

namespace VnetHash.Cli.Options;

/// <summary>Options shared by several commands, declared once so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Key = new("--key")
    {
        Description = "Toeplitz key: hex, colon-hex (as ethtool -x prints it) or a preset: microsoft (default), symmetric, random.",
        HelpName = "HEX|PRESET",
    };

    public static readonly Option<string?> Types = new("--types")
    {
        Description = "Enabled hash types: comma list of ipv4,tcpv4,udpv4,ipv6,tcpv6,udpv6,ipv6_ex,tcpv6_ex,udpv6_ex, all, none, or a 0x mask (default: all).",
        HelpName = "LIST|0xMASK",
    };

    public static readonly Option<string?> Table = new("--table")
    {
        Description = "Indirection table: comma list of queue indices, a power of two long (default: 128 entries round-robin over the queues).",
        HelpName = "LIST",
    };

    public static readonly Option<int> Queues = new("--queues")
    {
        Description = "Number of queues.",
        DefaultValueFactory = _ => 4,
    };

    public static readonly Option<int> Unclassified = new("--unclassified")
    {
        Description = "Queue for packets that get no hash.",
        DefaultValueFactory = _ => 0,
    };

    public static readonly Option<string> Profile = new("--profile")
    {
        Description = "Hash-type rules: virtio-spec (default) or linux-tun (the kernel series' behaviour).",
        DefaultValueFactory = _ => "virtio-spec",
    };

    public static readonly Option<string> Symmetric = new("--symmetric")
    {
        Description = "Symmetric hashing extension: none (default), sorted or xor.",
        DefaultValueFactory = _ => "none",
    };

    public static readonly Option<string?> Netns = new("--netns")
    {
        Description = "Run inside this network namespace (the tool re-runs itself under 'ip netns exec'), so devices are created there.",
        HelpName = "NS",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON instead of text.",
    };

    static CommonOptions()
    {
        Profile.AcceptOnlyFromAmong("virtio-spec", "linux-tun");
        Symmetric.AcceptOnlyFromAmong("none", "sorted", "xor");
    }
}
