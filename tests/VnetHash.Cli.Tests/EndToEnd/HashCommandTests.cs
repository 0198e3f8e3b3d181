using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash hash</c> run as a process.</summary>
public sealed class HashCommandTests
{
    private static readonly string[] Expected = ["NONE", "IPv4", "TCPv4", "UDPv4", "IPv6", "TCPv6", "UDPv6"];

    [VectorsFact]
    public void Microsoft_rows_hash_to_their_published_values_from_frames()
    {
        // Each row's tuple in a TCP frame (ports) or a protocol-253 frame (addresses only), all types enabled.
        var rows = PublicVectors.Rows().Where(r => r.TryGetProperty("hash_type", out _)).ToList();
        string stdin = string.Join('\n', rows.Select(r => Convert.ToHexStringLower(PublicVectors.Frame(r))));

        Tool.Result result = Tool.RunWithInput(stdin, "hash", "--frame", "-", "--json");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(16, lines.Length);
        for (int i = 0; i < rows.Count; i++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[i]);
            Assert.Equal(rows[i].GetProperty("expected_hash_hex").GetString(), line.RootElement.GetProperty("hash").GetString());
            Assert.Equal(rows[i].GetProperty("hash_type").GetString(), line.RootElement.GetProperty("report").GetString());
        }
    }

    [VectorsFact]
    public void Tun_selftest_rows_give_their_hash_report_and_queue()
    {
        // tools/testing/selftests/net/tun.c FIXTURE(tun_vnet_rss): types 0x3F, table {3, 4}, 3 queues, unclassified 5;
        // the kernel takes those indices modulo the queue count, which --wrap-queues asks for.
        var rows = PublicVectors.Rows().Where(r => r.TryGetProperty("expected_report", out _)).ToList();
        Assert.Equal(7, rows.Count);
        foreach (JsonElement row in rows)
        {
            string table = string.Join(',', row.GetProperty("indirection_table").EnumerateArray().Select(e => e.GetInt32()));

            Tool.Result result = Tool.Run(
                "hash", "--frame", Convert.ToHexStringLower(PublicVectors.Frame(row)), "--json",
                "--types", "0x" + row.GetProperty("hash_types").GetInt32().ToString("x"),
                "--table", table,
                "--queues", row.GetProperty("queues").GetInt32().ToString(),
                "--unclassified", row.GetProperty("unclassified_queue").GetInt32().ToString(),
                "--wrap-queues",
                "--profile", "linux-tun");

            Assert.Equal(0, result.ExitCode);
            using JsonDocument json = JsonDocument.Parse(result.Stdout);
            JsonElement answer = json.RootElement;
            int report = row.GetProperty("expected_report").GetInt32();
            Assert.Equal(row.GetProperty("expected_hash_hex").GetString(), answer.GetProperty("hash").GetString());
            Assert.Equal(report, answer.GetProperty("report_value").GetInt32());
            Assert.Equal(Expected[report], answer.GetProperty("report").GetString());
            Assert.Equal(row.GetProperty("expected_queue").GetInt32(), answer.GetProperty("queue").GetInt32());
        }
    }

    [Fact]
    public void A_bad_line_in_the_middle_is_answered_with_an_error_line_in_its_place()
    {
        const string frame = "02000000000202000000000108004500002800000000400600000a0000010a000002abcd0050000000000000000050020000000000000000";
        string stdin = $"{frame}\nnot-hex\n\n{frame}\n";

        Tool.Result result = Tool.RunWithInput(stdin, "hash", "--frame", "-");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        string[] lines = result.Stdout.Split('\n')[..^1];
        Assert.Equal(4, lines.Length);
        Assert.Equal(lines[0], lines[3]);
        Assert.Contains("TCPv4", lines[0], StringComparison.Ordinal);
        Assert.Equal("error: line 2: 'n' at position 0 is not a hex digit", lines[1]);
        Assert.Equal("error: line 3: the line is empty; give a frame as hex", lines[2]);
        Assert.Equal("error: 2 of 4 line(s) held no frame; their output lines say why", result.Stderr.Trim());
    }

    [Fact]
    public void With_json_every_line_answers_with_one_json_object_errors_included()
    {
        const string frame = "02000000000202000000000108004500002800000000400600000a0000010a000002abcd0050000000000000000050020000000000000000";

        Tool.Result result = Tool.RunWithInput($"zz\n{frame}\n", "hash", "--frame", "-", "--json");

        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument error = JsonDocument.Parse(lines[0]);
        using JsonDocument answer = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, error.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("line 1: 'z' at position 0 is not a hex digit", error.RootElement.GetProperty("error").GetString());
        Assert.Equal(2, answer.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("TCPv4", answer.RootElement.GetProperty("report").GetString());
    }

    [Fact]
    public void Queues_without_a_table_steer_with_the_default_round_robin_table()
    {
        // --help: "default table: 128 entries round-robin over --queues"; entry i is queue i % 8.
        const string frame = "02000000000202000000000108004500002800000000400600000a0000010a000002abcd0050000000000000000050020000000000000000";
        Tool.Result result = Tool.Run("hash", "--frame", frame, "--queues", "8", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        uint hash = uint.Parse(json.RootElement.GetProperty("hash").GetString()!, System.Globalization.NumberStyles.HexNumber);
        Assert.Equal((int)(hash & 127) % 8, json.RootElement.GetProperty("queue").GetInt32());
    }

    [Fact]
    public void L3_frames_start_at_the_ip_header()
    {
        // The same IPv4/TCP packet with and without its 14-byte Ethernet header hashes the same.
        const string ip = "4500002800000000400600000a0000010a000002abcd0050000000000000000050020000000000000000";

        Tool.Result withEthernet = Tool.Run("hash", "--frame", "020000000002020000000001" + "0800" + ip);
        Tool.Result bare = Tool.Run("hash", "--frame", ip, "--l3");

        Assert.Equal(withEthernet.Stdout, bare.Stdout);
        Assert.Contains("TCPv4", bare.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_restrict_the_report()
    {
        const string frame = "02000000000202000000000108004500002800000000400600000a0000010a000002abcd0050000000000000000050020000000000000000";

        Tool.Result result = Tool.Run("hash", "--frame", frame, "--types", "ipv4", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("IPv4", json.RootElement.GetProperty("report").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("report_value").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("queue", out _));
    }

    [Fact]
    public void Unknown_type_names_are_rejected_with_the_known_ones()
    {
        Tool.Result result = Tool.Run("hash", "--frame", "00", "--types", "tcpv5");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("tcpv5", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("udpv6_ex", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sorted_symmetric_mode_hashes_both_directions_alike()
    {
        // SymmetricMode.SortedTuple: the tuple is ordered before hashing, so A->B and B->A share a hash.
        const string forward = "02000000000202000000000108004500002800000000400600000a0000010a000002abcd0050000000000000000050020000000000000000";
        const string backward = "02000000000202000000000108004500002800000000400600000a0000020a0000010050abcd000000000000000050020000000000000000";

        Tool.Result plain = Tool.RunWithInput($"{forward}\n{backward}\n", "hash", "--frame", "-");
        Tool.Result sorted = Tool.RunWithInput($"{forward}\n{backward}\n", "hash", "--frame", "-", "--symmetric", "sorted");

        string[] p = plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] s = sorted.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEqual(p[0], p[1]);
        Assert.Equal(s[0], s[1]);
    }
}
