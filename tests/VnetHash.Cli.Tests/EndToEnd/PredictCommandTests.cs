using System.Net;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash hash --src/--dst…</c>, <c>predict</c> and <c>key generate</c>, run as the installed tool.</summary>
public sealed class PredictCommandTests
{
    /// <summary>Every public row with addresses, hashed from its tuple: the Microsoft suite and the tun selftests.</summary>
    [VectorsFact]
    public void Hash_from_the_tuple_matches_every_public_vector()
    {
        foreach (JsonElement row in PublicVectors.Rows().Where(r => r.GetProperty("src_ip").ValueKind == JsonValueKind.String))
        {
            var args = new List<string> { "hash", "--json", "--src", row.GetProperty("src_ip").GetString()!, "--dst", row.GetProperty("dst_ip").GetString()! };
            if (row.GetProperty("src_port").ValueKind == JsonValueKind.Number)
            {
                args.AddRange(["--sport", row.GetProperty("src_port").GetInt32().ToString(), "--dport", row.GetProperty("dst_port").GetInt32().ToString()]);
            }

            if (row.TryGetProperty("ip_proto", out JsonElement proto) && proto.ValueKind == JsonValueKind.Number)
            {
                args.AddRange(["--proto", proto.GetInt32() switch { 6 => "tcp", 17 => "udp", _ => "none" }]);
                if (proto.GetInt32() is 6 or 17 && !args.Contains("--sport"))
                {
                    args.AddRange(["--sport", "9", "--dport", "9"]);
                }

                string table = string.Join(',', row.GetProperty("indirection_table").EnumerateArray().Select(e => e.GetInt32()));
                args.AddRange(["--types", $"0x{row.GetProperty("hash_types").GetInt32():x}", "--table", table, "--queues", row.GetProperty("queues").GetInt32().ToString(), "--unclassified", row.GetProperty("unclassified_queue").GetInt32().ToString(), "--wrap-queues"]);
            }

            Tool.Result result = Tool.Run([.. args]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            using JsonDocument answer = JsonDocument.Parse(result.Stdout);
            Assert.Equal(row.GetProperty("expected_hash_hex").GetString(), answer.RootElement.GetProperty("hash").GetString());
            if (row.TryGetProperty("expected_queue", out JsonElement queue))
            {
                Assert.Equal(queue.GetInt32(), answer.RootElement.GetProperty("queue").GetInt32());
                Assert.Equal(row.GetProperty("expected_report").GetInt32(), answer.RootElement.GetProperty("report_value").GetInt32());
            }
        }
    }

    [Fact]
    public void Hash_needs_a_frame_or_a_tuple_and_not_both()
    {
        Assert.Equal(2, Tool.Run("hash").ExitCode);
        Tool.Result both = Tool.Run("hash", "--frame", "00", "--src", "10.0.0.1", "--dst", "10.0.0.2");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("describe the packet twice", both.Stderr);
        Tool.Result mixed = Tool.Run("hash", "--src", "10.0.0.1", "--dst", "::1");
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("different address families", mixed.Stderr);
    }

    /// <summary>Every listed source port lands on the queue, and every port of the range it leaves out does not (checked by hashing frames).</summary>
    [Theory]
    [InlineData("none", "tcp")]
    [InlineData("sorted", "udp")]
    [InlineData("xor", "tcp")]
    public void Predicted_ports_are_exactly_those_that_land(string symmetric, string proto)
    {
        Tool.Result result = Tool.Run("predict", "--queue", "3", "--vary", "sport", "--range", "1000-20999", "--src", "192.0.2.10", "--dst", "198.51.100.7", "--dport", "443", "--proto", proto, "--queues", "6", "--symmetric", symmetric, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        int[] values = [.. answer.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetInt32())];
        Assert.Equal(values.Order(), values);
        Assert.Equal(443, answer.RootElement.GetProperty("fixed").GetProperty("dport").GetInt32());
        Assert.Equal(6, answer.RootElement.GetProperty("configuration").GetProperty("queues").GetInt32());

        SymmetricMode mode = symmetric switch { "sorted" => SymmetricMode.SortedTuple, "xor" => SymmetricMode.Xor, _ => SymmetricMode.None };
        var steering = new RssSteering(RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, EthtoolTable.Parse("equal 6", 128, 6), symmetric: mode));
        var expected = new List<int>();
        for (int port = 1000; port <= 20999; port++)
        {
            var frame = new FrameBuilder().Ethernet().IPv4("192.0.2.10", "198.51.100.7");
            byte[] bytes = (proto == "tcp" ? frame.Tcp((ushort)port, 443) : frame.Udp((ushort)port, 443)).Build();
            if (steering.Decide(bytes, FrameKind.Ethernet, 6).Queue == 3)
            {
                expected.Add(port);
            }
        }

        Assert.Equal(expected, values);
    }

    [Fact]
    public void Predicted_addresses_of_a_prefix_land()
    {
        Tool.Result result = Tool.Run("predict", "--queue", "1", "--vary", "dst", "--range", "2001:db8::/118", "--src", "2001:db8:1::1", "--sport", "5000", "--dport", "53", "--proto", "udp", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        string[] values = [.. answer.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetString()!)];
        var steering = new RssSteering(RssConfiguration.RoundRobin(4));
        int landing = 0;
        for (int low = 0; low < 1024; low++)
        {
            var address = IPAddress.Parse($"2001:db8::{low:x}");
            var tuple = new RssTuple(IPAddress.Parse("2001:db8:1::1"), address, TransportProtocol.Udp, 5000, 53);
            bool lands = tuple.Decide(steering, 4).Queue == 1;
            Assert.Equal(lands, values.Contains(address.ToString()));
            landing += lands ? 1 : 0;
        }

        Assert.Equal(landing, values.Length);
    }

    [Fact]
    public void Complement_and_nearest()
    {
        Tool.Result complement = Tool.Run("predict", "--queue", "2", "--vary", "sport", "--src", "192.0.2.1", "--dst", "198.51.100.7", "--sport", "40001", "--dport", "443", "--complement", "--json");
        Assert.True(complement.ExitCode == 0, complement.Stderr);
        using JsonDocument answer = JsonDocument.Parse(complement.Stdout);
        int port = answer.RootElement.GetProperty("value").GetInt32();
        Assert.Equal(40001 ^ answer.RootElement.GetProperty("complement").GetInt32(), port);
        Tool.Result check = Tool.Run("hash", "--src", "192.0.2.1", "--dst", "198.51.100.7", "--sport", port.ToString(), "--dport", "443", "--queues", "4", "--json");
        using JsonDocument hashed = JsonDocument.Parse(check.Stdout);
        Assert.Equal(2, hashed.RootElement.GetProperty("queue").GetInt32());

        Tool.Result nearest = Tool.Run("predict", "--queue", "0", "--vary", "dport", "--src", "192.0.2.1", "--dst", "198.51.100.7", "--sport", "40001", "--nearest", "8080");
        Assert.True(nearest.ExitCode == 0, nearest.Stderr);
        Assert.Matches(@"^\d+\s*$", nearest.Stdout);
    }

    [Theory]
    [InlineData("--vary", "sport", "--src", "10.0.0.1", "--dst", "10.0.0.2", "--queue", "4")]
    [InlineData("--vary", "src", "--dst", "10.0.0.2", "--queue", "0")]
    [InlineData("--vary", "sport", "--src", "10.0.0.1", "--dst", "10.0.0.2", "--queue", "0", "--range", "9-2")]
    [InlineData("--vary", "sport", "--src", "10.0.0.1", "--dst", "10.0.0.2", "--queue", "0", "--proto", "none")]
    [InlineData("--vary", "port", "--src", "10.0.0.1", "--dst", "10.0.0.2", "--queue", "0")]
    public void Bad_predictions_are_usage_errors(params string[] args)
    {
        Tool.Result result = Tool.Run(["predict", .. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
    }

    [Fact]
    public void Generated_keys_spread_and_are_symmetric()
    {
        Tool.Result spread = Tool.Run("key", "generate", "--spread", "sport", "--types", "tcpv4", "--seed", "3", "--json");
        Assert.True(spread.ExitCode == 0, spread.Stderr);
        using JsonDocument key = JsonDocument.Parse(spread.Stdout);
        byte[] bytes = Convert.FromHexString(key.RootElement.GetProperty("key").GetString()!);

        // Any 128 consecutive source ports aligned on 128 visit each of the 128 table entries once.
        var spreadHasher = new RssSteering(RssConfiguration.Create(HashTypes.TcpV4, bytes, [0])).Hasher;
        var entries = new HashSet<uint>();
        for (int port = 40960; port < 40960 + 128; port++)
        {
            var flow = new RssTuple(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.7"), TransportProtocol.Tcp, (ushort)port, 443);
            entries.Add(flow.Hash(spreadHasher).Value & 127);
        }

        Assert.Equal(128, entries.Count);

        Tool.Result symmetric = Tool.Run("key", "generate", "--symmetric", "--length", "52");
        Assert.True(symmetric.ExitCode == 0, symmetric.Stderr);
        byte[] symmetricKey = Convert.FromHexString(symmetric.Stdout.Trim());
        Assert.Equal(52, symmetricKey.Length);
        var hasher = new RssSteering(RssConfiguration.Create(HashTypes.All, symmetricKey, [0])).Hasher;
        var forward = new RssTuple(IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8::2"), TransportProtocol.Tcp, 1234, 80);
        var reverse = new RssTuple(IPAddress.Parse("2001:db8::2"), IPAddress.Parse("2001:db8::1"), TransportProtocol.Tcp, 80, 1234);
        Assert.Equal(forward.Hash(hasher), reverse.Hash(hasher));
        Assert.Equal(2, Tool.Run("key", "generate").ExitCode);
    }
}
