using System.Globalization;
using ScottPlot;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Cli.Analysis;

/// <summary>What a chart shows per queue.</summary>
public enum ChartMetric
{
    Flows,
    Bytes,
    Packets,
}

/// <summary>A chart to save: where, and of what.</summary>
internal sealed record ChartRequest(string Path, ChartMetric Metric);

/// <summary>
/// A bar chart per queue, one colour per compared configuration, with each configuration's mean as a dashed line,
/// the legend beside the plot (never over a bar), queue labels thinned to stay readable up to 256 queues and
/// beyond, and the captures and the configuration in the title. PNG or SVG.
/// </summary>
public static class QueueChart
{
    private const int Height = 560;

    // Each label needs about this many pixels to stay apart from its neighbours.
    private const int PixelsPerLabel = 36;

    public static ChartMetric ParseMetric(string text) => text switch
    {
        "flows" => ChartMetric.Flows,
        "bytes" => ChartMetric.Bytes,
        "packets" => ChartMetric.Packets,
        _ => throw new UsageException($"--chart-of: unknown quantity '{text}' (flows, bytes or packets)"),
    };

    /// <summary>Fails now, before any analysis, if the chart could not be saved at <paramref name="path"/>.</summary>
    public static void CheckPath(string path)
    {
        if (Path.GetExtension(path).ToLowerInvariant() is not (".png" or ".svg"))
        {
            throw new UsageException($"--chart: '{path}' must end in .png or .svg");
        }

        OutputFile.Check(path, "--chart");
    }

    internal static void Save(ChartRequest request, IReadOnlyList<string> captures, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        CheckPath(request.Path);
        int series = analyses.Count;
        int queues = analyses.Max(a => a.QueueCount);
        int slots = queues * (series + 1);
        int width = Math.Clamp(420 + (slots * 6), 900, 2400);

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < series; s++)
        {
            CaptureAnalyzer analysis = analyses[s];
            Color color = palette.GetColor(s);
            var bars = analysis.Queues.Select(queue => new Bar
            {
                Position = (queue.Queue * (series + 1)) + s,
                Value = Amount(queue, request.Metric),
                FillColor = color,
                LineWidth = 0,
            }).ToList();
            plot.Add.Bars(bars).LegendText = series > 1 ? analysis.Label : Name(request.Metric);
        }

        // One dashed mean line per distinct mean: bytes and packets add up alike under every configuration.
        double[] means = [.. analyses.Select(a => a.Queues.Sum(q => Amount(q, request.Metric)) / a.QueueCount)];
        bool shared = means.All(m => Math.Abs(m - means[0]) < 0.05);
        for (int s = 0; s < (shared ? 1 : series); s++)
        {
            Color color = shared && series > 1 ? Colors.Black : palette.GetColor(s).Darken(0.3);
            var line = plot.Add.HorizontalLine(means[s], 1.5f, color, LinePattern.Dashed);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"mean{(shared ? string.Empty : $" ({analyses[s].Label})")}: {means[s]:#,0.#}");
        }

        // A label on every step-th queue (a power of two, so 0, 8, 16, ... read naturally), a minor tick on the rest.
        int step = 1;
        while (queues / step * PixelsPerLabel > width - 200)
        {
            step *= 2;
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int q = 0; q < queues; q++)
        {
            double position = (q * (series + 1)) + ((series - 1) / 2.0);
            if (q % step == 0)
            {
                ticks.AddMajor(position, q.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                ticks.AddMinor(position);
            }
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Margins(bottom: 0);
        string title = $"{char.ToUpperInvariant(Name(request.Metric)[0])}{Name(request.Metric)[1..]} per RSS queue: {string.Join(", ", captures.Select(Path.GetFileName))}";
        plot.Title($"{title}\n{Describe(analyses)}", size: 12);
        plot.XLabel(step == 1 ? "queue" : $"queue (every {step}th labelled)");
        plot.YLabel(Name(request.Metric));
        plot.ShowLegend(Edge.Right);

        byte[] bytes = Path.GetExtension(request.Path).Equals(".png", StringComparison.OrdinalIgnoreCase)
            ? plot.GetImageBytes(width, Height, ImageFormat.Png)
            : System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, Height));
        OutputFile.Write(request.Path, "--chart", bytes);
    }

    private static double Amount(QueueStatistics queue, ChartMetric metric) => metric switch
    {
        ChartMetric.Bytes => queue.Bytes,
        ChartMetric.Packets => queue.Packets,
        _ => queue.Flows.Estimate(),
    };

    private static string Name(ChartMetric metric) => metric switch
    {
        ChartMetric.Bytes => "bytes",
        ChartMetric.Packets => "packets",
        _ => "flows",
    };

    // What the compared configurations share, in full, and what tells them apart (the legend names each).
    private static string Describe(IReadOnlyList<CaptureAnalyzer> analyses)
    {
        RssConfiguration c = analyses[0].Configuration;
        bool sameKey = analyses.All(a => a.Configuration.Key.SequenceEqual(c.Key));
        bool sameProfile = analyses.All(a => a.Configuration.Profile == c.Profile);
        string key = sameKey ? $"key {Hex.Format(c.Key)}" : "keys in the legend";
        string types = c.Types == HashTypes.All ? "all" : HashTypesParser.Format(c.Types);
        string profile = sameProfile ? RssOptions.FormatProfile(c.Profile) : "profiles in the legend";
        int queues = analyses[0].QueueCount;
        int entries = c.IndirectionTable.Length;
        string table = c.IndirectionTable.SequenceEqual(RssOptions.RoundRobinTable(queues, entries))
            ? $"{entries}-entry round-robin table"
            : $"{entries}-entry table (listed in the JSON)";
        return $"{queues} queues, {table}, unclassified queue {c.UnclassifiedQueue}\ntypes {types}, {profile}, symmetric {RssOptions.FormatSymmetric(c.Symmetric)}\n{key}";
    }
}
