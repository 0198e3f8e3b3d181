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
        console.WriteLine();
        if (labelled)
        {
            console.Write(new Rule($"[bold]{Markup.Escape(analysis.Label)}[/]").LeftJustified());
        }

        console.MarkupLine($"[bold]RSS:[/] {Markup.Escape(ConfigurationPrinter.Summary(analysis.Configuration, analysis.QueueCount))}");

        var table = new Table().Border(TableBorder.Rounded).Title("Queues");
        table.AddColumn("Queue");
        table.AddColumn(new TableColumn("Flows").RightAligned());
        table.AddColumn(new TableColumn("Bytes").RightAligned());
        table.AddColumn(new TableColumn("Packets").RightAligned());
        table.AddColumn(new TableColumn("Share of flows").RightAligned());
        table.AddColumn("");
        long max = Math.Max(1, analysis.Queues.Max(q => q.Flows.Estimate()));
        long flows = analysis.Queues.Sum(q => q.Flows.Estimate());
        foreach (QueueStatistics queue in analysis.Queues)
        {
            long queueFlows = queue.Flows.Estimate();
            table.AddRow(
                queue.Queue.ToString(CultureInfo.InvariantCulture),
                queueFlows.ToString(CultureInfo.InvariantCulture),
                queue.Bytes.ToString(CultureInfo.InvariantCulture),
                queue.Packets.ToString(CultureInfo.InvariantCulture),
                (flows == 0 ? 0 : (double)queueFlows / flows).ToString("P1", CultureInfo.InvariantCulture),
                new string('#', (int)Math.Round(30.0 * queueFlows / max)));
        }

        console.Write(table);
        AnalysisSummary summary = analysis.Summarize();
        var balance = new Table().Border(TableBorder.Rounded).Title("Balance over the queues")
            .Caption(string.Create(CultureInfo.InvariantCulture, $"ideal: max/mean 1, CV 0, busiest share {1.0 / analysis.QueueCount:P1}"));
        balance.AddColumn("");
        balance.AddColumn(new TableColumn("max/mean").RightAligned());
        balance.AddColumn(new TableColumn("CV").RightAligned());
        balance.AddColumn(new TableColumn("busiest queue").RightAligned());
        balance.AddColumn(new TableColumn("its share").RightAligned());
        AddBalance(balance, "flows", summary.Flows);
        AddBalance(balance, "bytes", summary.Bytes);
        AddBalance(balance, "packets", summary.Packets);
        console.Write(balance);

        var types = new Table().Border(TableBorder.Rounded).Title("Hash types");
        types.AddColumn("Report");
        types.AddColumn(new TableColumn("Value").RightAligned());
        types.AddColumn(new TableColumn("Packets").RightAligned());
        ReadOnlySpan<long> reports = analysis.Counters.ReportCounts;
        for (int r = 0; r < reports.Length; r++)
        {
            if (reports[r] > 0)
            {
                types.AddRow(ReportNames.Name((HashReport)r), r.ToString(CultureInfo.InvariantCulture), reports[r].ToString(CultureInfo.InvariantCulture));
            }
        }

        console.Write(types);
        foreach (string warning in summary.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }
    }

    private static void AddBalance(Table table, string what, Balance balance) => table.AddRow(
        what,
        balance.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
        balance.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
        balance.BusiestQueue.ToString(CultureInfo.InvariantCulture),
        balance.BusiestShare.ToString("P1", CultureInfo.InvariantCulture));

    private static void RenderComparison(IAnsiConsole console, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).Title("Comparison");
        table.AddColumn("Configuration");
        table.AddColumn(new TableColumn("flows max/mean").RightAligned());
        table.AddColumn(new TableColumn("flows CV").RightAligned());
        table.AddColumn(new TableColumn("bytes max/mean").RightAligned());
        table.AddColumn(new TableColumn("bytes CV").RightAligned());
        table.AddColumn("Flows per queue");
        foreach (CaptureAnalyzer analysis in analyses)
        {
            AnalysisSummary s = analysis.Summarize();
            table.AddRow(
                Markup.Escape(analysis.Label),
                s.Flows.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
                s.Flows.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
                s.Bytes.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
                s.Bytes.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
                string.Join(' ', analysis.Queues.Select(q => q.Flows.Estimate().ToString(CultureInfo.InvariantCulture))));
        }

        console.Write(table);
    }
}
