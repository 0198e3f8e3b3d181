using System.Text.Json;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.TestSupport;
using VnetHash.Traffic;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>
/// One of the seven tun_vnet_hash rx rows of ../shared/vectors/toeplitz-public.json (kernel-series.md §8): the
/// frame, the RSS configuration and what the kernel must deliver.
/// </summary>
internal sealed record SelftestVector(string Variant, byte[] Frame, RssConfiguration Configuration, int Queues, uint Hash, HashReport Report, int Queue)
{
    /// <summary>Reads the seven rows (those with an expected queue) and builds their frames.</summary>
    public static IReadOnlyList<SelftestVector> Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var rows = new List<SelftestVector>();
        foreach (JsonElement row in document.RootElement.EnumerateArray())
        {
            if (!row.TryGetProperty("expected_queue", out JsonElement queue) || queue.ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            string source = row.GetProperty("source").GetString() ?? string.Empty;
            int start = source.IndexOf("variant '", StringComparison.Ordinal) + "variant '".Length;
            string variant = source[start..source.IndexOf('\'', start)];
            ushort[] table = [.. row.GetProperty("indirection_table").EnumerateArray().Select(e => e.GetUInt16())];
            var configuration = RssConfiguration.Create(
                (HashTypes)row.GetProperty("hash_types").GetUInt32(),
                Convert.FromHexString(row.GetProperty("key_hex").GetString()!),
                table,
                row.GetProperty("unclassified_queue").GetUInt16(),
                HashProfile.LinuxTun);
            rows.Add(new SelftestVector(
                variant,
                BuildFrame(row),
                configuration,
                row.GetProperty("queues").GetInt32(),
                Convert.ToUInt32(row.GetProperty("expected_hash_hex").GetString(), 16),
                (HashReport)row.GetProperty("expected_report").GetInt32(),
                queue.GetInt32()));
        }

        if (rows.Count != 7)
        {
            throw new InvalidDataException($"{path} has {rows.Count} tun selftest rows, 7 expected");
        }

        return rows;
    }

    /// <summary>Finds the vectors next to the repository: ../shared/vectors from the folder holding VnetHash.slnx.</summary>
    public static string DefaultPath() =>
        Repository.TryFindRoot() is { } root
            ? Path.GetFullPath(Path.Combine(root, "..", "shared", "vectors", "toeplitz-public.json"))
            : throw new FileNotFoundException("no VnetHash.slnx above the runner; pass --vectors PATH");

    private static byte[] BuildFrame(JsonElement row)
    {
        var builder = new FrameBuilder();
        string? source = row.GetProperty("src_ip").GetString();
        if (source is null)
        {
            return builder.Ethernet(etherType: (ushort)row.GetProperty("ethertype").GetInt32()).Payload([]).Build();
        }

        string destination = row.GetProperty("dst_ip").GetString()!;
        builder.Ethernet();
        if (source.Contains(':', StringComparison.Ordinal))
        {
            builder.IPv6(source, destination);
        }
        else
        {
            builder.IPv4(source, destination);
        }

        int protocol = row.GetProperty("ip_proto").GetInt32();
        JsonElement sourcePort = row.GetProperty("src_port");
        JsonElement destinationPort = row.GetProperty("dst_port");
        return protocol switch
        {
            6 => builder.Tcp(sourcePort.GetUInt16(), destinationPort.GetUInt16()).Build(),
            17 => builder.Udp(sourcePort.GetUInt16(), destinationPort.GetUInt16()).Build(),
            _ => builder.Payload([], protocol).Build(),
        };
    }
}
