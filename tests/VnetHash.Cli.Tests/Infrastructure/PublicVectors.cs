using System.Net;
using System.Text.Json;
using VnetHash.Cli.Frames;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>The rows of <c>../shared/vectors/toeplitz-public.json</c> and the frames that carry their tuples.</summary>
internal static class PublicVectors
{
    public static IReadOnlyList<JsonElement> Rows()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(TestFiles.Vectors));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>
    /// An Ethernet frame carrying the row's tuple: TCP when the row has ports (UDP rows use their ip_proto),
    /// protocol 253 (no transport header, so an address-only hash) otherwise. The tun "unclassified" row is
    /// an empty ETH_P_LOOPBACK (0x9000) frame, as in tools/testing/selftests/net/tun.c.
    /// </summary>
    public static byte[] Frame(JsonElement row)
    {
        if (row.TryGetProperty("ethertype", out JsonElement etherType) && etherType.GetInt32() == 0x9000)
        {
            return [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x90, 0x00];
        }

        int protocol = row.TryGetProperty("ip_proto", out JsonElement p) && p.ValueKind == JsonValueKind.Number
            ? p.GetInt32()
            : row.GetProperty("src_port").ValueKind == JsonValueKind.Null ? 253 : 6;
        return new FrameSpec
        {
            Source = IPAddress.Parse(row.GetProperty("src_ip").GetString()!).GetAddressBytes(),
            Destination = IPAddress.Parse(row.GetProperty("dst_ip").GetString()!).GetAddressBytes(),
            Protocol = protocol,
            SourcePort = Port(row, "src_port"),
            DestinationPort = Port(row, "dst_port"),
        }.BuildEthernet();
    }

    private static ushort Port(JsonElement row, string name) =>
        row.GetProperty(name).ValueKind == JsonValueKind.Number ? (ushort)row.GetProperty(name).GetInt32() : (ushort)0;
}
