using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash config</c> run as a process.</summary>
public sealed class ConfigCommandTests
{
    [Fact]
    public void Show_prints_the_table_in_rows_of_8_and_the_key_as_colon_hex()
    {
        // ethtool -x layout: "%5u: " then " %5u" per entry, 8 entries per row; the key as colon-separated hex.
        Tool.Result result = Tool.Run("config", "show", "--queues", "3", "--table", "0,1,2,0,1,2,0,1,2,0,1,2,0,1,2,0", "--key", "symmetric");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.Contains("    0:      0     1     2     0     1     2     0     1", lines);
        Assert.Contains("    8:      2     0     1     2     0     1     2     0", lines);
        Assert.Contains(string.Join(':', Enumerable.Repeat("6d:5a", 20)), lines);
    }

    [Fact]
    public void Show_json_round_trips_the_options()
    {
        Tool.Result result = Tool.Run("config", "show", "--queues", "2", "--types", "tcpv4,udpv6", "--unclassified", "1", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("tcpv4,udpv6", json.RootElement.GetProperty("types").GetString());
        Assert.Equal(0x22u, json.RootElement.GetProperty("types_mask").GetUInt32());
        Assert.Equal(1, json.RootElement.GetProperty("unclassified_queue").GetInt32());
        Assert.Equal(128, json.RootElement.GetProperty("indirection_table").GetArrayLength());
    }

    [Fact]
    public void A_table_that_is_not_a_power_of_two_is_refused_naming_the_field()
    {
        Tool.Result result = Tool.Run("config", "show", "--table", "0,1,2");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("indirection_table", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("power of two", result.Stderr, StringComparison.Ordinal);
    }
}
