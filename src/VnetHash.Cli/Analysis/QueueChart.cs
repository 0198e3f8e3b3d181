using ScottPlot;

namespace VnetHash.Cli.Analysis;

/// <summary>A bar chart of packets per queue, one colour per compared configuration, as PNG or SVG.</summary>
public static class QueueChart
{
    /// <summary>Fails now, before any analysis, if the chart could not be saved at <paramref name="path"/>.</summary>
    public static void CheckPath(string path)
    {
        if (Path.GetExtension(path).ToLowerInvariant() is not (".png" or ".svg"))
        {
            throw new UsageException($"--chart: '{path}' must end in .png or .svg");
        }

        OutputFile.Check(path, "--chart");
    }

    public static void Save(string path, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        CheckPath(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int series = analyses.Count;
        int queues = analyses.Max(a => a.QueueCount);
        for (int s = 0; s < series; s++)
        {
            var bars = new List<Bar>();
            foreach (QueueStatistics queue in analyses[s].Queues)
            {
                bars.Add(new Bar
                {
                    Position = (queue.Queue * (series + 1)) + s,
                    Value = queue.Packets,
                    FillColor = palette.GetColor(s),
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = analyses[s].Label;
        }

        double[] positions = [.. Enumerable.Range(0, queues).Select(q => (q * (series + 1)) + ((series - 1) / 2.0))];
        string[] labels = [.. Enumerable.Range(0, queues).Select(q => $"q{q}")];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Packets per RSS queue");
        plot.XLabel("queue");
        plot.YLabel("packets");
        if (series > 1)
        {
            plot.ShowLegend();
        }

        byte[] bytes = extension == ".png"
            ? plot.GetImageBytes(800, 500, ImageFormat.Png)
            : System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(800, 500));
        OutputFile.Write(path, "--chart", bytes);
    }
}
