using System.Globalization;
using System.Xml.Linq;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>analyze --chart</c>: the texts of the SVG say what the chart shows: the captures and the whole
/// configuration in the title, a legend with the mean, queue labels thinned to stay readable.
/// </summary>
public sealed class ChartTests
{
    private static string[] Texts(string svg) =>
        [.. XDocument.Load(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];

    [Fact]
    public void Four_queues_label_every_queue_and_the_title_names_capture_and_configuration()
    {
        using var dir = new TempDirectory();
        string chart = dir.File("q.svg");

        Tool.Result result = Tool.Run("analyze", "--chart", chart, "--symmetric", "xor");

        Assert.Equal(0, result.ExitCode);
        string[] texts = Texts(chart);
        Assert.Contains("Flows per RSS queue: sample.pcapng (bundled sample)", texts);
        Assert.Contains("4 queues, 128-entry round-robin table, unclassified queue 0", texts);
        Assert.Contains("types all, virtio-spec, symmetric xor", texts);
        Assert.Contains($"key {Convert.ToHexStringLower(VnetHash.Hashing.ToeplitzKey.MicrosoftKey)}", texts);
        Assert.Contains(texts, t => t.StartsWith("mean: ", StringComparison.Ordinal));
        Assert.Contains("queue", texts);
        Assert.All(["0", "1", "2", "3"], label => Assert.Contains(label, texts));
    }

    [Fact]
    public void Two_hundred_and_fifty_six_queues_label_every_eighth()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("many.pcapng");
        string chart = dir.File("q.svg");
        Assert.Equal(0, Tool.Run("generate", "--flows", "2000", "--packets", "2000", "--out", capture).ExitCode);
        Tool.Result result = Tool.Run("analyze", capture, "--queues", "256", "--chart", chart, "--chart-of", "packets");

        Assert.Equal(0, result.ExitCode);
        string[] texts = Texts(chart);
        Assert.Contains("queue (every 8th labelled)", texts);
        int[] labels = [.. texts.Where(t => t.All(char.IsAsciiDigit) && t.Length > 0).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).Where(n => n < 256)];
        Assert.Superset(Enumerable.Range(0, 32).Select(i => i * 8).ToHashSet(), labels.ToHashSet());

        // Queue labels above 30 cannot be the packet axis's (at most about 20 packets per queue here).
        Assert.DoesNotContain(labels, n => n > 30 && n % 8 != 0);
        Assert.Contains("Packets per RSS queue: many.pcapng", texts);
        Assert.Contains("256 queues, 256-entry round-robin table, unclassified queue 0", texts);
    }

    [Fact]
    public void Compared_keys_each_get_a_legend_entry()
    {
        using var dir = new TempDirectory();
        string chart = dir.File("keys.svg");

        Tool.Result result = Tool.Run("analyze", "--compare-keys", "microsoft,symmetric", "--chart", chart, "--chart-of", "bytes");

        Assert.Equal(0, result.ExitCode);
        string[] texts = Texts(chart);
        Assert.Contains("microsoft", texts);
        Assert.Contains("symmetric", texts);
        Assert.Contains("keys in the legend", texts);

        // Bytes add up alike under both keys: one mean line, not two on top of each other.
        Assert.Single(texts, t => t.StartsWith("mean", StringComparison.Ordinal));
    }
}
