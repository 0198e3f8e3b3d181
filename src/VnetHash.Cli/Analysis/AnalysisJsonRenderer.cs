using System.Text.Json;
using VnetHash.Cli.Options;
using VnetHash.Hashing;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Renders analyses as one JSON object. Fixed top-level keys: <c>captures</c>, <c>packets</c>, <c>bytes</c>,
/// <c>flows</c>, <c>configuration</c>, <c>queues</c>, <c>imbalance</c>, <c>hash_types</c>, <c>warnings</c>, and
/// with a comparison also <c>comparisons</c> (one entry per compared configuration).
/// </summary>
internal static class AnalysisJsonRenderer
{
    public static void Render(TextWriter output, IReadOnlyList<string> inputs, IReadOnlyList<CaptureAnalyzer> analyses)
    {
        JsonOutput.Write(output, w =>
        {
            w.WriteStartArray("captures");
            foreach (string input in inputs)
            {
                w.WriteStringValue(input);
            }

            w.WriteEndArray();
            WriteAnalysis(w, analyses[0]);
            if (analyses.Count > 1)
            {
                w.WriteStartArray("comparisons");
                foreach (CaptureAnalyzer analysis in analyses)
                {
                    w.WriteStartObject();
                    w.WriteString("label", analysis.Label);
                    WriteAnalysis(w, analysis);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
        });
    }

    private static void WriteAnalysis(Utf8JsonWriter w, CaptureAnalyzer analysis)
    {
        var config = analysis.Configuration;
        w.WriteNumber("packets", analysis.Packets);
        w.WriteNumber("bytes", analysis.Bytes);
        w.WriteNumber("flows", analysis.Flows.Estimate());
        w.WriteStartObject("configuration");
        w.WriteString("key", Hex.Format(config.Key));
        w.WriteString("types", HashTypesParser.Format(config.Types));
        w.WriteNumber("types_mask", (uint)config.Types);
        w.WriteNumber("table_length", config.IndirectionTable.Length);
        w.WriteNumber("queue_count", analysis.QueueCount);
        w.WriteNumber("unclassified_queue", config.UnclassifiedQueue);
        w.WriteString("profile", RssOptions.FormatProfile(config.Profile));
        w.WriteEndObject();
        w.WriteStartArray("queues");
        foreach (QueueStatistics queue in analysis.Queues)
        {
            w.WriteStartObject();
            w.WriteNumber("queue", queue.Queue);
            w.WriteNumber("packets", queue.Packets);
            w.WriteNumber("bytes", queue.Bytes);
            w.WriteNumber("flows", queue.Flows.Estimate());
            w.WriteNumber("share", analysis.Packets == 0 ? 0 : (double)queue.Packets / analysis.Packets);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        AnalysisSummary summary = analysis.Summarize();
        w.WriteStartObject("imbalance");
        w.WriteNumber("max_over_mean", summary.MaxOverMean);
        w.WriteNumber("coefficient_of_variation", summary.CoefficientOfVariation);
        w.WriteNumber("chi_square", summary.ChiSquare);
        w.WriteNumber("degrees_of_freedom", summary.DegreesOfFreedom);
        w.WriteNumber("p_value", summary.PValue);
        w.WriteEndObject();
        w.WriteStartObject("hash_types");
        for (int r = 0; r < analysis.ReportCounts.Length; r++)
        {
            w.WriteNumber(ReportNames.Name((HashReport)r), analysis.ReportCounts[r]);
        }

        w.WriteEndObject();
        w.WriteStartArray("warnings");
        foreach (string warning in summary.Warnings)
        {
            w.WriteStringValue(warning);
        }

        w.WriteEndArray();
    }
}
