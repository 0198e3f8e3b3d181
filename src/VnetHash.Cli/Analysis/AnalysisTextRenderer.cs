using System.Globalization;
using Spectre.Console;
using VnetHash.Cli.Options;
using VnetHash.Hashing;

namespace VnetHash.Cli.Analysis;

/// <summary>Renders analyses as Spectre.Console tables.</summary>
internal static class AnalysisTextRenderer
{
    public static void Render(IAnsiConsole console, IReadOnlyList<string> inputs, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        CaptureAnalyzer first = analyses[0];
        console.MarkupLine($"[bold]Captures:[/] {Markup.Escape(string.Join(", ", inputs))}");
        console.MarkupLine($"[bold]Packets:[/] {first.Packets}  [bold]Bytes:[/] {first.Bytes}  [bold]Flows:[/] {first.Flows.Estimate()} (distinct 5-tuples: exact up to {FlowCounter.ExactLimit}, estimated in fixed memory above)");
        foreach (CaptureAnalyzer analysis in analyses)
        {
            RenderOne(console, analysis, analyses.Count > 1);
        }

        if (analyses.Count > 1)
        {
            RenderComparison(console, analyses);
        }
    }

    private static void RenderOne(IAnsiConsole console, CaptureAnalyzer analysis, bool labelled)
    {
        var config = analysis.Configuration;
        console.WriteLine();
        if (labelled)
        {
            console.Write(new Rule($"[bold]{Markup.Escape(analysis.Label)}[/]").LeftJustified());
        }

        console.MarkupLine(Markup.Escape(
            $"RSS: key {Hex.Format(config.Key)[..Math.Min(16, config.Key.Length * 2)]}... ({config.Key.Length} bytes), types {HashTypesParser.Format(config.Types)}, " +
            $"table {config.IndirectionTable.Length} entries, {analysis.QueueCount} queues, unclassified {config.UnclassifiedQueue}, profile {RssOptions.FormatProfile(config.Profile)}"));

        var table = new Table().Border(TableBorder.Rounded).Title("Queues");
        table.AddColumn("Queue");
        table.AddColumn(new TableColumn("Packets").RightAligned());
        table.AddColumn(new TableColumn("Bytes").RightAligned());
        table.AddColumn(new TableColumn("Flows").RightAligned());
        table.AddColumn(new TableColumn("Share").RightAligned());
        table.AddColumn("");
        long max = Math.Max(1, analysis.Queues.Max(q => q.Packets));
        foreach (QueueStatistics queue in analysis.Queues)
        {
            double share = analysis.Packets == 0 ? 0 : (double)queue.Packets / analysis.Packets;
            int width = (int)Math.Round(30.0 * queue.Packets / max);
            table.AddRow(
                queue.Queue.ToString(CultureInfo.InvariantCulture),
                queue.Packets.ToString(CultureInfo.InvariantCulture),
                queue.Bytes.ToString(CultureInfo.InvariantCulture),
                queue.Flows.Estimate().ToString(CultureInfo.InvariantCulture),
                share.ToString("P1", CultureInfo.InvariantCulture),
                new string('#', width));
        }

        console.Write(table);
        AnalysisSummary summary = analysis.Summarize();
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Imbalance: max/mean {summary.MaxOverMean:F3}, coefficient of variation {summary.CoefficientOfVariation:F3}, chi-square {summary.ChiSquare:F2} (df {summary.DegreesOfFreedom}, p {summary.PValue:G3})")));

        var types = new Table().Border(TableBorder.Rounded).Title("Hash types");
        types.AddColumn("Report");
        types.AddColumn(new TableColumn("Value").RightAligned());
        types.AddColumn(new TableColumn("Packets").RightAligned());
        for (int r = 0; r < analysis.ReportCounts.Length; r++)
        {
            if (analysis.ReportCounts[r] > 0)
            {
                types.AddRow(ReportNames.Name((HashReport)r), r.ToString(CultureInfo.InvariantCulture), analysis.ReportCounts[r].ToString(CultureInfo.InvariantCulture));
            }
        }

        console.Write(types);
        foreach (string warning in summary.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }
    }

    private static void RenderComparison(IAnsiConsole console, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).Title("Comparison");
        table.AddColumn("Configuration");
        table.AddColumn(new TableColumn("max/mean").RightAligned());
        table.AddColumn(new TableColumn("CV").RightAligned());
        table.AddColumn(new TableColumn("chi-square").RightAligned());
        table.AddColumn(new TableColumn("p").RightAligned());
        table.AddColumn("Packets per queue");
        foreach (CaptureAnalyzer analysis in analyses)
        {
            AnalysisSummary s = analysis.Summarize();
            table.AddRow(
                Markup.Escape(analysis.Label),
                s.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
                s.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
                s.ChiSquare.ToString("F2", CultureInfo.InvariantCulture),
                s.PValue.ToString("G3", CultureInfo.InvariantCulture),
                string.Join(' ', analysis.Queues.Select(q => q.Packets.ToString(CultureInfo.InvariantCulture))));
        }

        console.Write(table);
    }
}
