using System.Globalization;
using VnetHash.Cli.Options;
using VnetHash.Hashing;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Renders analyses as text: a few lines and tables (<see cref="TextTable"/>), each line whole (a terminal wraps
/// what is wider than it; a file or pipe keeps one line per item, so a key or warning can be found with grep). Labels
/// are bold and warnings yellow where the output takes those styles (<see cref="ConsoleFactory.Styles"/>).
/// </summary>
internal static class AnalysisTextRenderer
{
    public static void Render(TextWriter output, TextStyles styles, int width, IReadOnlyList<string> inputs, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        CaptureAnalyzer first = analyses[0];
        output.WriteLine($"{Bold("Captures:", styles)} {string.Join(", ", inputs)}");
        output.WriteLine($"{Bold("Packets:", styles)} {first.Packets}  {Bold("Bytes:", styles)} {first.Bytes}  {Bold("Flows:", styles)} {first.Flows.Estimate()} (distinct 5-tuples: exact up to {FlowCounter.ExactLimit}, estimated in fixed memory above)");
        foreach (CaptureAnalyzer analysis in analyses)
        {
            RenderOne(output, styles, width, analysis, analyses.Count > 1);
        }

        if (analyses.Count > 1)
        {
            RenderComparison(output, analyses);
        }
    }

    private static void RenderOne(TextWriter output, TextStyles styles, int width, CaptureAnalyzer analysis, bool labelled)
    {
        output.WriteLine();
        if (labelled)
        {
            // Each configuration's part of the report starts with a rule that names it, as "── label ─────".
            output.WriteLine($"── {Bold(analysis.Label, styles)} {new string('─', Math.Max(2, width - 4 - TextTable.Width(analysis.Label)))}");
        }

        output.WriteLine($"{Bold("RSS:", styles)} {ConfigurationPrinter.Summary(analysis.Configuration, analysis.QueueCount)}");

        var table = new TextTable("Queues")
            .Column("Queue")
            .Column("Flows", rightAligned: true)
            .Column("Bytes", rightAligned: true)
            .Column("Packets", rightAligned: true)
            .Column("Share of flows", rightAligned: true)
            .Column("");
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

        table.WriteTo(output);
        AnalysisSummary summary = analysis.Summarize();
        var balance = new TextTable("Balance over the queues", string.Create(CultureInfo.InvariantCulture, $"ideal: max/mean 1, CV 0, busiest share {1.0 / analysis.QueueCount:P1}"))
            .Column("")
            .Column("max/mean", rightAligned: true)
            .Column("CV", rightAligned: true)
            .Column("busiest queue", rightAligned: true)
            .Column("its share", rightAligned: true);
        AddBalance(balance, "flows", summary.Flows);
        AddBalance(balance, "bytes", summary.Bytes);
        AddBalance(balance, "packets", summary.Packets);
        balance.WriteTo(output);
        output.WriteLine($"{Bold("Direction symmetry:", styles)} {analysis.Counters.Symmetry.Describe()}");

        var types = new TextTable("Hash types")
            .Column("Report")
            .Column("Value", rightAligned: true)
            .Column("Packets", rightAligned: true);
        ReadOnlySpan<long> reports = analysis.Counters.ReportCounts;
        for (int r = 0; r < reports.Length; r++)
        {
            if (reports[r] > 0)
            {
                types.AddRow(ReportNames.Name((HashReport)r), r.ToString(CultureInfo.InvariantCulture), reports[r].ToString(CultureInfo.InvariantCulture));
            }
        }

        types.WriteTo(output);
        AnalysisCounters counters = analysis.Counters;
        if (analysis.Configuration.TunnelTypes != TunnelTypes.None)
        {
            string byType = counters.InnerHashed == 0 ? string.Empty : $" ({CaptureAnalyzer.ByType(counters.InnerHashedByType)})";
            output.WriteLine($"{Bold("Hashed on an inner header:", styles)} {counters.InnerHashed} of {analysis.Packets} packets{byType}");
        }

        foreach (string warning in summary.Warnings)
        {
            output.WriteLine($"{Yellow("warning:", styles)} {warning}");
        }
    }

    private static void AddBalance(TextTable table, string what, Balance balance) => table.AddRow(
        what,
        balance.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
        balance.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
        balance.BusiestQueue.ToString(CultureInfo.InvariantCulture),
        balance.BusiestShare.ToString("P1", CultureInfo.InvariantCulture));

    private static void RenderComparison(TextWriter output, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        output.WriteLine();
        var table = new TextTable("Comparison")
            .Column("Configuration")
            .Column("flows max/mean", rightAligned: true)
            .Column("flows CV", rightAligned: true)
            .Column("bytes max/mean", rightAligned: true)
            .Column("bytes CV", rightAligned: true)
            .Column("same queue both ways", rightAligned: true)
            .Column("Flows per queue");
        foreach (CaptureAnalyzer analysis in analyses)
        {
            AnalysisSummary s = analysis.Summarize();
            table.AddRow(
                analysis.Label,
                s.Flows.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
                s.Flows.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
                s.Bytes.MaxOverMean.ToString("F3", CultureInfo.InvariantCulture),
                s.Bytes.CoefficientOfVariation.ToString("F3", CultureInfo.InvariantCulture),
                analysis.Counters.Symmetry.Share is double share ? share.ToString("P1", CultureInfo.InvariantCulture) : "-",
                string.Join(' ', analysis.Queues.Select(q => q.Flows.Estimate().ToString(CultureInfo.InvariantCulture))));
        }

        table.WriteTo(output);
    }

    // ANSI select-graphic-rendition codes (ECMA-48): bold, bright yellow (what warnings were before), and back to normal.
    private const string SgrBold = "\e[1m";
    private const string SgrBrightYellow = "\e[93m";
    private const string SgrReset = "\e[0m";

    private static string Bold(string text, TextStyles styles) => Styled(text, SgrBold, styles.HasFlag(TextStyles.Bold));

    private static string Yellow(string text, TextStyles styles) => Styled(text, SgrBrightYellow, styles.HasFlag(TextStyles.Colour));

    private static string Styled(string text, string code, bool styled) => styled ? code + text + SgrReset : text;
}
