using System.Globalization;
using System.Text.Json.Nodes;
using VnetHash.Cli.Options;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Cli.Analysis;

/// <summary>The indirection table that balances a capture's measured load, and the closest <c>ethtool -X weight</c> line.</summary>
internal sealed class TableSuggestion
{
    private TableSuggestion(LoadMeasure measure, RssConfiguration configuration, int queues, long[] before, long[] after, ushort[] table, int[] weights, long[] weightLoads)
    {
        Measure = measure;
        Configuration = configuration;
        Queues = queues;
        Before = before;
        After = after;
        Table = table;
        Weights = weights;
        WeightLoads = weightLoads;
    }

    public LoadMeasure Measure { get; }

    /// <summary>The configuration in use with the suggested table in place of its own.</summary>
    public RssConfiguration Configuration { get; }

    public int Queues { get; }

    public long[] Before { get; }

    public long[] After { get; }

    public ushort[] Table { get; }

    public int[] Weights { get; }

    public long[] WeightLoads { get; }

    public static TableSuggestion Compute(CaptureAnalyzer analysis, EntryLoads loads, LoadMeasure measure)
    {
        RssConfiguration configuration = analysis.Configuration;
        int queues = analysis.QueueCount;
        long[] entries = loads.Entries(measure);
        long[] unmovable = loads.Unmovable(measure);
        ushort[] current = configuration.IndirectionTable.ToArray();
        ushort[] table = IndirectionTableOptimizer.Balance(entries, queues, current);
        int[] weights = IndirectionTableOptimizer.ClosestWeights(entries, queues);
        long[] Total(ReadOnlySpan<ushort> t)
        {
            long[] byQueue = IndirectionTableOptimizer.QueueLoads(t, entries, queues);
            for (int q = 0; q < queues; q++)
            {
                byQueue[q] += unmovable[q];
            }

            return byQueue;
        }

        var suggested = RssConfiguration.Create(configuration.Types, configuration.Key, table, configuration.UnclassifiedQueue, configuration.Profile, configuration.Symmetric);
        return new TableSuggestion(measure, suggested, queues, Total(current), Total(table), table, weights, Total(EthtoolTable.Weighted(table.Length, weights)));
    }

    public string MeasureName => Measure.ToString().ToLowerInvariant();

    public string EthtoolLine => $"ethtool -X IF weight {string.Join(' ', Weights)}";

    public string RssConfigHex
    {
        get
        {
            VirtioNetRssConfig config = VirtioNetRssConfig.FromRssConfiguration(Configuration, (ushort)Queues);
            var bytes = new byte[config.EncodedLength];
            config.WriteTo(bytes);
            return Hex.Format(bytes);
        }
    }

    public void WriteText(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Suggested indirection table (balanced by {MeasureName}):");
        output.WriteLine($"  busiest queue / mean: {Ratio(Before)} with the table in use, {Ratio(After)} with the suggested table");
        output.WriteLine($"  {MeasureName} per queue before: {string.Join(' ', Before)}");
        output.WriteLine($"  {MeasureName} per queue after:  {string.Join(' ', After)}");
        output.WriteLine($"  table: {string.Join(',', Table)}");
        output.WriteLine($"  virtio rss_config: {RssConfigHex}");
        output.WriteLine($"  closest ethtool weights: {EthtoolLine} (busiest queue / mean {Ratio(WeightLoads)})");
    }

    /// <summary>Adds the suggestion to the analysis JSON object written by the analysis renderer.</summary>
    public string AddTo(string analysisJson)
    {
        JsonNode root = JsonNode.Parse(analysisJson)!;
        root["suggested_table"] = new JsonArray([.. Table.Select(e => (JsonNode)JsonValue.Create(e))]);
        root["suggestion"] = new JsonObject
        {
            ["by"] = MeasureName,
            ["loads_before"] = new JsonArray([.. Before.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["loads_after"] = new JsonArray([.. After.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["max_over_mean_before"] = IndirectionTableOptimizer.MaxOverMean(Before),
            ["max_over_mean_after"] = IndirectionTableOptimizer.MaxOverMean(After),
            ["rss_config_hex"] = RssConfigHex,
            ["ethtool_weights"] = new JsonArray([.. Weights.Select(w => (JsonNode)JsonValue.Create(w))]),
            ["ethtool_command"] = EthtoolLine,
            ["ethtool_loads"] = new JsonArray([.. WeightLoads.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["ethtool_max_over_mean"] = IndirectionTableOptimizer.MaxOverMean(WeightLoads),
        };
        return root.ToJsonString();
    }

    private static string Ratio(long[] loads) => IndirectionTableOptimizer.MaxOverMean(loads).ToString("0.000", CultureInfo.InvariantCulture);
}
