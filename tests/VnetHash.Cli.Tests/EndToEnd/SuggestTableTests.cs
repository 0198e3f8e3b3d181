using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>analyze --suggest-table</c> on a capture of 2,500 flows of ten packets each.</summary>
public sealed class SuggestTableTests
{
    [Theory]
    [InlineData("packets", "8")]
    [InlineData("flows", "8")]
    [InlineData("bytes", "6")]
    public void Suggested_table_reaches_five_percent_and_is_never_worse(string by, string queues)
    {
        using var dir = new TempDirectory();
        string capture = dir.File("flows.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--flows", "2500", "--packets", "25000", "--out", capture).ExitCode);
        Tool.Result result = Tool.Run("analyze", capture, "--suggest-table", "--by", by, "--queues", queues, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        JsonElement suggestion = answer.RootElement.GetProperty("suggestion");
        long[] before = [.. suggestion.GetProperty("loads_before").EnumerateArray().Select(e => e.GetInt64())];
        long[] after = [.. suggestion.GetProperty("loads_after").EnumerateArray().Select(e => e.GetInt64())];
        Assert.Equal(before.Sum(), after.Sum());
        Assert.True(after.Max() <= before.Max());
        Assert.InRange(suggestion.GetProperty("max_over_mean_after").GetDouble(), 1.0, 1.05);
        Assert.Equal(128, answer.RootElement.GetProperty("suggested_table").GetArrayLength());
        Assert.StartsWith("ethtool -X IF weight ", suggestion.GetProperty("ethtool_command").GetString());

        // The suggested table, given back as --table, predicts the loads it promised.
        string table = string.Join(',', answer.RootElement.GetProperty("suggested_table").EnumerateArray().Select(e => e.GetInt32()));
        Tool.Result again = Tool.Run("analyze", capture, "--suggest-table", "--by", by, "--queues", queues, "--table", table, "--json");
        using JsonDocument second = JsonDocument.Parse(again.Stdout);
        Assert.Equal(after, second.RootElement.GetProperty("suggestion").GetProperty("loads_before").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public void Text_output_shows_the_table_the_rss_config_and_the_weights()
    {
        Tool.Result result = Tool.Run("analyze", "--suggest-table", "--table", "weight 1 1 1 1");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Suggested indirection table (balanced by packets):", result.Stdout);
        Assert.Contains("virtio rss_config: ", result.Stdout);
        Assert.Contains("closest ethtool weights: ethtool -X IF weight ", result.Stdout);
        Assert.Equal(2, Tool.Run("analyze", "--suggest-table", "--compare-profiles").ExitCode);
    }
}
