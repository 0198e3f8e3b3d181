using System.CommandLine;

namespace VnetHash.Cli.Options;

/// <summary>
/// Options shared by several commands, declared once so they read and behave the same everywhere. A command's
/// own options live in its file; every option that several commands take belongs here.
/// </summary>
internal static class CommonOptions
{
    /// <summary>The most queues a table entry (a u16) can name.</summary>
    public const int MaxQueues = ushort.MaxValue + 1;

    public static readonly Option<string?> Key = new("--key")
    {
        Description = "Toeplitz key: hex, colon-hex (as ethtool -x prints it) or a preset: microsoft (default), symmetric, random (printed in full, so the run can be repeated).",
        HelpName = "HEX|PRESET",
    };

    public static readonly Option<string?> Types = new("--types")
    {
        Description = "Enabled hash types: comma list of ipv4,tcpv4,udpv4,ipv6,tcpv6,udpv6,ipv6_ex,tcpv6_ex,udpv6_ex, all, none, or a 0x mask (default: all).",
        HelpName = "LIST|0xMASK",
    };

    public static readonly Option<string?> Table = new("--table")
    {
        Description = "Indirection table: comma list of queue indices, a power of two long, each below --queues (default: round-robin over the queues, 128 entries, or the next power of two for more queues).",
        HelpName = "LIST",
    };

    public static readonly Option<int> Queues = NumberOptions.Whole(
        "--queues", 1, MaxQueues, 4, $"Number of queues, {NumberOptions.Range(1, MaxQueues)} (default: 4).");

    public static readonly Option<int> Unclassified = NumberOptions.Whole(
        "--unclassified", 0, ushort.MaxValue, 0, "Queue for packets that get no hash, below --queues (default: 0).", "Q");

    public static readonly Option<bool> WrapQueues = new("--wrap-queues")
    {
        Description = "Accept table entries and --unclassified at or above --queues and take them modulo the queue count, as the tun series' kernel does (by default they are refused, as ethtool -X refuses them).",
    };

    public static readonly Option<string> Profile = new("--profile")
    {
        Description = "Hash-type rules: virtio-spec (default) or linux-tun (the kernel series' behaviour).",
        DefaultValueFactory = _ => "virtio-spec",
    };

    public static readonly Option<string> Symmetric = new("--symmetric")
    {
        Description = "Symmetric hashing, an extension outside the virtio spec: none (default), sorted (addresses and ports ordered) or xor (ethtool's symmetric-xor).",
        DefaultValueFactory = _ => "none",
    };

    public static readonly Option<string?> Netns = new("--netns")
    {
        Description = "Run inside this existing network namespace (the tool re-runs itself under 'ip netns exec'), so devices are created there.",
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

    /// <summary>The options that describe an RSS configuration, for commands that build one with <see cref="RssOptions.Build"/>.</summary>
    public static IEnumerable<Option> Configuration => [Queues, Key, Types, Table, Unclassified, WrapQueues, Profile, Symmetric];
}
