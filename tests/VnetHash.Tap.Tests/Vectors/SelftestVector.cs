using System.Text.Json;
using System.Text.Json.Serialization;

namespace VnetHash.Tap.Tests.Vectors;

/// <summary>
/// One <c>tun_vnet_rss rx</c> variant of ../shared/vectors/toeplitz-public.json (kernel-series.md §8.1): the
/// frame's EtherType and protocol, the RSS configuration, and the expected hash, report and queue.
/// </summary>
public sealed record SelftestVector
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("key_hex")] public string KeyHex { get; init; } = "";
    [JsonPropertyName("hash_types")] public uint? HashTypes { get; init; }
    [JsonPropertyName("ethertype")] public int? EtherType { get; init; }
    [JsonPropertyName("ip_proto")] public int? IPProtocol { get; init; }
    [JsonPropertyName("src_ip")] public string? SourceIP { get; init; }
    [JsonPropertyName("dst_ip")] public string? DestinationIP { get; init; }
    [JsonPropertyName("expected_report")] public int? ExpectedReport { get; init; }
    [JsonPropertyName("expected_hash_hex")] public string ExpectedHashHex { get; init; } = "";
    [JsonPropertyName("indirection_table")] public ushort[]? IndirectionTable { get; init; }
    [JsonPropertyName("unclassified_queue")] public ushort? UnclassifiedQueue { get; init; }
    [JsonPropertyName("queues")] public int? Queues { get; init; }
    [JsonPropertyName("expected_queue")] public int? ExpectedQueue { get; init; }

    /// <summary>The selftest variant name (the quoted word of the source).</summary>
    public string Variant => Source.Split('\'')[1];

    public byte[] Key => Convert.FromHexString(KeyHex);

    public uint ExpectedHash => Convert.ToUInt32(ExpectedHashHex, 16);

    /// <summary>The seven selftest rows, by variant name.</summary>
    public static IReadOnlyDictionary<string, SelftestVector> ByVariant { get; } = Load();

    private static Dictionary<string, SelftestVector> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Vectors", "toeplitz-public.json");
        List<SelftestVector> rows = JsonSerializer.Deserialize<List<SelftestVector>>(File.ReadAllText(path)) ?? throw new InvalidDataException(path);
        return rows.Where(r => r.ExpectedQueue is not null).ToDictionary(r => r.Variant);
    }
}
