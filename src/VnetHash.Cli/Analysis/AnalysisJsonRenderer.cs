using System.Text.Json;
using VnetHash.Cli.Options;
using VnetHash.Hashing;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Renders analyses as one JSON object. Top-level keys: <c>captures</c>, <c>packets</c>, <c>bytes</c>,
/// <c>flows</c>, <c>configuration</c> (the whole configuration: key, types, table, unclassified queue, profile,
/// symmetric mode, tunnel types and ports), <c>queues</c>, <c>balance</c> (flows, bytes and packets), <c>symmetry</c>
/// (connections seen both ways and how many keep one queue both ways), <c>hash_types</c>, <c>inner_hashed</c>
/// (packets hashed on the inner packet of an enabled encapsulation type, per type), <c>outer_only_tunnels</c>
/// (packets of encapsulation types not enabled, hashed on the outer header), <c>warnings</c>,
/// <c>problems</c> (captures cut short or damaged), and with a comparison also
/// <c>comparisons</c> (one entry per compared configuration).
/// </summary>
internal static class AnalysisJsonRenderer
{
    public static void Render(TextWriter output, IReadOnlyList<string> inputs, IReadOnlyList<CaptureAnalyzer> analyses, IReadOnlyList<CaptureProblem> problems)
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
            w.WriteStartArray("problems");
            foreach (CaptureProblem problem in problems)
            {
                w.WriteStartObject();
                w.WriteString("capture", problem.Capture);
                w.WriteNumber("offset", problem.Offset);
                w.WriteBoolean("decompressed_offset", problem.Compressed);
                w.WriteBoolean("cut_short", problem.CutShort);
                w.WriteBoolean("is_capture", problem.Opened);
                w.WriteString("reason", problem.Reason);
                w.WriteNumber("packets_read", problem.PacketsRead);
                w.WriteEndObject();
            }

            w.WriteEndArray();
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
        long packets = analysis.Packets; // a sum over the queues
        w.WriteNumber("packets", packets);
        w.WriteNumber("bytes", analysis.Bytes);
        w.WriteNumber("flows", analysis.Flows.Estimate());
        w.WriteStartObject("configuration");
        ConfigurationPrinter.WriteJson(w, analysis.Configuration, analysis.QueueCount);
        w.WriteEndObject();
        w.WriteStartArray("queues");
        foreach (QueueStatistics queue in analysis.Queues)
        {
            w.WriteStartObject();
            w.WriteNumber("queue", queue.Queue);
            w.WriteNumber("packets", queue.Packets);
            w.WriteNumber("bytes", queue.Bytes);
            w.WriteNumber("flows", queue.Flows.Estimate());
            w.WriteNumber("share", packets == 0 ? 0 : (double)queue.Packets / packets);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        AnalysisSummary summary = analysis.Summarize();
        w.WriteStartObject("balance");
        WriteBalance(w, "flows", summary.Flows);
        WriteBalance(w, "bytes", summary.Bytes);
        WriteBalance(w, "packets", summary.Packets);
        w.WriteEndObject();
        DirectionSymmetry symmetry = analysis.Counters.Symmetry;
        w.WriteStartObject("symmetry");
        w.WriteNumber("connections_both_directions", symmetry.BothDirections);
        w.WriteNumber("same_queue", symmetry.SameQueue);
        if (symmetry.Share is double share)
        {
            w.WriteNumber("share", share);
        }
        else
        {
            w.WriteNull("share");
        }

        w.WriteNumber("sample_one_in", 1L << symmetry.SampleBits);
        w.WriteEndObject();
        w.WriteStartObject("hash_types");
        for (int r = 0; r < analysis.Counters.ReportCounts.Length; r++)
        {
            w.WriteNumber(ReportNames.Name((HashReport)r), analysis.Counters.ReportCounts[r]);
        }

        w.WriteEndObject();
        WriteTunnels(w, "inner_hashed", analysis.Counters.InnerHashed, analysis.Counters.InnerHashedByType);
        WriteTunnels(w, "outer_only_tunnels", analysis.Counters.OuterOnlyTunnels, analysis.Counters.OuterOnlyByType);
        w.WriteStartArray("warnings");
        foreach (string warning in summary.Warnings)
        {
            w.WriteStringValue(warning);
        }

        w.WriteEndArray();
    }

    private static void WriteTunnels(Utf8JsonWriter w, string name, long packets, ReadOnlySpan<long> byType)
    {
        w.WriteStartObject(name);
        w.WriteNumber("packets", packets);
        w.WriteStartObject("by_type");
        for (int bit = 0; bit < byType.Length; bit++)
        {
            w.WriteNumber(TunnelTypesParser.NameOf(bit), byType[bit]);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteBalance(Utf8JsonWriter w, string name, Balance balance)
    {
        w.WriteStartObject(name);
        w.WriteNumber("total", balance.Total);
        w.WriteNumber("max_over_mean", balance.MaxOverMean);
        w.WriteNumber("coefficient_of_variation", balance.CoefficientOfVariation);
        w.WriteNumber("busiest_queue", balance.BusiestQueue);
        w.WriteNumber("busiest_share", balance.BusiestShare);
        w.WriteEndObject();
    }
}
