using System.CommandLine;
using System.Runtime.CompilerServices;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Ethtool;

namespace VnetHash.Cli.Options;

/// <summary>
/// --ethtool FILE|- and --device IF: a real NIC's RSS settings (table, key, function, input transformation and, from
/// the kernel, which fields each flow type hashes) in place of --key/--table/--queues. Options given explicitly still
/// override what the NIC says.
/// </summary>
internal static class NicOptions
{
    public static readonly Option<string?> Ethtool = new("--ethtool")
    {
        Description = "Take the table, key, hash function and input transformation from what 'ethtool -x IF' printed (a file, or '-' for stdin); 'ethtool -n IF rx-flow-hash FLOW' outputs appended to it set the hash types.",
        HelpName = "FILE|-",
    };

    public static readonly Option<string?> Device = new("--device")
    {
        Description = "Read the table, key, hash function, input transformation and per-flow hash fields of interface IF from the kernel (SIOCETHTOOL), as ethtool does.",
        HelpName = "IF",
    };

    private static readonly ConditionalWeakTable<ParseResult, EthtoolRss> s_read = [];

    /// <summary>The NIC's settings when --ethtool or --device is given (read once per command line), else null.</summary>
    public static EthtoolRss? Read(ParseResult parse)
    {
        string? file = parse.GetValue(Ethtool);
        string? device = parse.GetValue(Device);
        if (file is null && device is null)
        {
            return null;
        }

        if (file is not null && device is not null)
        {
            throw new UsageException("--ethtool and --device both describe the NIC; give one");
        }

        if (s_read.TryGetValue(parse, out EthtoolRss? known))
        {
            return known;
        }

        EthtoolRss rss = device is not null ? EthtoolDevice.ReadRss(device) : ParseFile(file!);
        s_read.AddOrUpdate(parse, rss);
        return rss;
    }

    /// <summary>The queue count: --queues when given, else the NIC's rings, else the --queues default.</summary>
    public static int QueueCount(ParseResult parse) =>
        parse.GetResult(CommonOptions.Queues) is { Implicit: false } || Read(parse) is not EthtoolRss nic
            ? parse.GetValue(CommonOptions.Queues)
            : nic.QueueCount;

    /// <summary>The NIC's configuration with --key, --types, --table, --symmetric and --profile applied over it when given.</summary>
    public static RssConfiguration Configuration(ParseResult parse, EthtoolRss nic, int queues, byte[]? keyOverride)
    {
        HashTypes types = HashTypesParser.Parse(parse.GetValue(CommonOptions.Types));
        HashProfile profile = RssOptions.ParseProfile(parse.GetValue(CommonOptions.Profile));
        RssConfiguration configuration = nic.ToConfiguration(types, profile);
        if (IsGiven(parse, CommonOptions.Types))
        {
            configuration = configuration.WithTypes(types);
        }

        if (IsGiven(parse, CommonOptions.Symmetric))
        {
            configuration = configuration.WithSymmetric(RssOptions.ParseSymmetric(parse.GetValue(CommonOptions.Symmetric)));
        }

        byte[] key = keyOverride ?? (IsGiven(parse, CommonOptions.Key) ? RssOptions.Key(parse, parse.GetValue(CommonOptions.Key)) : configuration.Key.ToArray());
        ushort[] table = IsGiven(parse, CommonOptions.Table) ? RssOptions.Table(parse, queues) : configuration.IndirectionTable.ToArray();
        int unclassified = parse.GetValue(CommonOptions.Unclassified);
        if (!parse.GetValue(CommonOptions.WrapQueues))
        {
            RssOptions.CheckQueueIndices(table, unclassified, queues);
        }

        return RssConfiguration.Create(configuration.Types, key, table, (ushort)unclassified, configuration.Profile, configuration.Symmetric);
    }

    private static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static EthtoolRss ParseFile(string file)
    {
        string text;
        try
        {
            text = file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"--ethtool: cannot read '{file}': {e.Message}", e);
        }

        try
        {
            return EthtoolRssText.Parse(text);
        }
        catch (FormatException e)
        {
            throw new InputFileException($"--ethtool {file}: {e.Message}", e);
        }
    }
}
