using System.Text.Json;
using System.Text.Json.Serialization;

namespace VnetHash.Tests.Vectors;

/// <summary>One row of ../shared/vectors/toeplitz-public.json (the Microsoft verification suite and the tun selftests).</summary>
public sealed record PublicVector
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("key_hex")] public string KeyHex { get; init; } = "";
    [JsonPropertyName("hash_type")] public string? HashType { get; init; }
    [JsonPropertyName("src_ip")] public string? SourceIP { get; init; }
    [JsonPropertyName("dst_ip")] public string? DestinationIP { get; init; }
    [JsonPropertyName("src_port")] public int? SourcePort { get; init; }
    [JsonPropertyName("dst_port")] public int? DestinationPort { get; init; }
    [JsonPropertyName("input_hex")] public string? InputHex { get; init; }
    [JsonPropertyName("expected_hash_hex")] public string ExpectedHashHex { get; init; } = "";
    [JsonPropertyName("hash_types")] public uint? HashTypes { get; init; }
    [JsonPropertyName("ethertype")] public int? EtherType { get; init; }
    [JsonPropertyName("ip_proto")] public int? IPProtocol { get; init; }
    [JsonPropertyName("expected_report")] public int? ExpectedReport { get; init; }
    [JsonPropertyName("indirection_table")] public ushort[]? IndirectionTable { get; init; }
    [JsonPropertyName("unclassified_queue")] public ushort? UnclassifiedQueue { get; init; }
    [JsonPropertyName("queues")] public int? Queues { get; init; }
    [JsonPropertyName("expected_queue")] public int? ExpectedQueue { get; init; }

    public byte[] Key => Convert.FromHexString(KeyHex);

    public uint ExpectedHash => Convert.ToUInt32(ExpectedHashHex, 16);

    public bool IsSelftest => ExpectedQueue is not null;

    public static IReadOnlyList<PublicVector> All { get; } = Load();

    public override string ToString() => $"{Source.Split(' ')[^1]} {HashType} {SourceIP}->{DestinationIP} {SourcePort}/{DestinationPort}";

    private static List<PublicVector> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Vectors", "toeplitz-public.json");
        return JsonSerializer.Deserialize<List<PublicVector>>(File.ReadAllText(path)) ?? throw new InvalidDataException(path);
    }
}
