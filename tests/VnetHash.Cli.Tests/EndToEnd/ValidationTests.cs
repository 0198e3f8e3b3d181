using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// Bad values are refused with exit code 2 and one message naming the option and the rule; nothing reaches
/// standard output and no .NET type name or stack trace reaches the user.
/// </summary>
public sealed class ValidationTests
{
    public static TheoryData<string[], string> Refused => new()
    {
        { ["config", "show", "--key", ""], "--key: the value is empty" },
        { ["config", "show", "--types", ""], "--types: the value is empty" },
        { ["config", "show", "--table", ""], "--table: the value is empty" },
        { ["config", "show", "--types", ","], "--types: the value is empty; give a comma list of ipv4, tcpv4, udpv4, ipv6, tcpv6, udpv6, ipv6_ex, tcpv6_ex, udpv6_ex, all, none, or a 0x mask" },
        { ["config", "show", "--table", ",,"], "--table: the table has no entries; give a comma list of queue indices" },
        { ["hash", "--frame", ""], "--frame: the value is empty" },
        { ["toeplitz", "--data", ""], "--data: the value is empty" },
        { ["generate", "--out", ""], "--out: the value is empty" },
        { ["probe", "--netns", ""], "--netns: the value is empty" },
        { ["config", "show", "--queues", "99999999999"], "--queues: 99999999999 is out of range: give a whole number from 1 to 65536" },
        { ["config", "show", "--queues", "0"], "--queues: 0 is out of range: give a whole number from 1 to 65536" },
        { ["config", "show", "--queues", "four"], "--queues: 'four' is not a whole number; the allowed range is 1 to 65536" },
        { ["config", "show", "--unclassified", "-1"], "--unclassified: -1 is out of range: give a whole number from 0 to 65535" },
        { ["generate", "--out", "x.pcapng", "--packets", "0"], "--packets: 0 is out of range: give a whole number from 1 to 2147483647" },
        { ["generate", "--out", "x.pcapng", "--flows", "2000000"], "--flows: 2000000 is out of range: give a whole number from 1 to 1000000" },
        { ["tap", "run", "--name", "x", "--count", "0"], "--count: 0 is out of range: give a whole number from 1 to 9223372036854775807" },
        { ["tap", "run", "--name", "x", "--duration", "soon"], "--duration: 'soon' is not a number; give a number of seconds greater than 0" },
        { ["config", "show", "--queues", "4", "--table", "0,1,5,2"], "--table: entry 2 names queue 5, which does not exist: with 4 queues the indices are 0 to 3; add --wrap-queues to take it modulo 4, as the tun series' kernel does" },
        { ["config", "show", "--queues", "4", "--unclassified", "4"], "--unclassified: queue 4 does not exist: with 4 queues the indices are 0 to 3; add --wrap-queues to take it modulo 4, as the tun series' kernel does" },
        { ["hash", "--frame", "00", "--queues", "1", "--table", "1"], "--table: entry 0 names queue 1, which does not exist: with 1 queue the only index is 0; add --wrap-queues to take it modulo 1, as the tun series' kernel does" },
        { ["analyze", "--match", "tcp"], "unknown option '--match' (see --help; a file whose name starts with '-' can be given as ./--match)" },
        { ["analyze", "--csv", "-", "--json"], "--csv - and --json both write to standard output; write the CSV to a file, or leave out --json" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_value_is_refused_naming_the_option_and_the_rule(string[] args, string message)
    {
        Tool.Result result = Tool.Run(args);

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Equal($"error: {message}", result.Stderr.Split('\n')[0]);
        Assert.Empty(result.Stdout);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_queues_takes_out_of_range_indices_modulo_the_queue_count()
    {
        // The tun series' kernel steers to table[hash & mask] % numqueues and unclassified % numqueues.
        Tool.Result result = Tool.Run("config", "show", "--queues", "3", "--table", "3,4", "--unclassified", "5", "--wrap-queues", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("[3,4]", json.RootElement.GetProperty("indirection_table").GetRawText());
        Assert.Equal(5, json.RootElement.GetProperty("unclassified_queue").GetInt32());
    }
}
