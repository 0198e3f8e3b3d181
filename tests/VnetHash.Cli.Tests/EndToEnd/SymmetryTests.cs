using System.Net;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>analyze</c>'s direction symmetry, run as the installed tool on a capture of 300 TCP connections seen both
/// ways and 50 seen one way: the share is checked against the library's own queue for each direction.
/// </summary>
public sealed class SymmetryTests
{
    private const int BothWays = 300;

    [Fact]
    public void The_share_of_connections_keeping_one_queue_both_ways_is_counted_per_key()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("connections.pcap");
        IReadOnlyList<RssTuple> connections = WriteCapture(capture);
        var steering = new RssSteering(RssConfiguration.Create(HashTypes.IPv4 | HashTypes.TcpV4, ToeplitzKey.MicrosoftKey, EthtoolTable.Parse("equal 4", 128, 4)));
        int expected = connections.Count(c => c.Decide(steering, 4).Queue == Reverse(c).Decide(steering, 4).Queue);
        Assert.InRange(expected, 1, BothWays - 1);

        string[] rss = ["--types", "ipv4,tcpv4", "--queues", "4", "--json"];
        JsonElement plain = Symmetry(Tool.Run(["analyze", capture, "--key", "microsoft", .. rss]));
        Assert.Equal(BothWays, plain.GetProperty("connections_both_directions").GetInt64());
        Assert.Equal(expected, plain.GetProperty("same_queue").GetInt64());
        Assert.Equal((double)expected / BothWays, plain.GetProperty("share").GetDouble(), 9);
        Assert.Equal(1, plain.GetProperty("sample_one_in").GetInt64());

        // The hasher's own symmetric mode, and a symmetric key, keep every connection on one queue.
        JsonElement xor = Symmetry(Tool.Run(["analyze", capture, "--key", "microsoft", "--symmetric", "xor", .. rss]));
        Assert.Equal(BothWays, xor.GetProperty("same_queue").GetInt64());

        Tool.Result compared = Tool.Run(["analyze", capture, "--compare-keys", "microsoft,symmetric", .. rss]);
        Assert.True(compared.ExitCode == 0, compared.Stderr);
        using JsonDocument answer = JsonDocument.Parse(compared.Stdout);
        JsonElement[] comparisons = [.. answer.RootElement.GetProperty("comparisons").EnumerateArray()];
        Assert.Equal(expected, comparisons[0].GetProperty("symmetry").GetProperty("same_queue").GetInt64());
        Assert.Equal(1.0, comparisons[1].GetProperty("symmetry").GetProperty("share").GetDouble());
    }

    [Fact]
    public void Text_output_says_it_in_words_and_in_the_comparison()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("connections.pcap");
        WriteCapture(capture);
        Tool.Result text = Tool.Run("analyze", capture, "--compare-keys", "microsoft,symmetric", "--queues", "4");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains($"Direction symmetry: {BothWays} of {BothWays} connections seen in both directions (100.0 %) land both ways on one queue", text.Stdout);
        Assert.Contains("same queue both ways", text.Stdout);

        // One-way traffic has nothing to compare.
        string oneWay = dir.File("one-way.pcap");
        WriteCapture(oneWay, bothWays: 0);
        Assert.Contains("Direction symmetry: no connection was seen in both directions", Tool.Run("analyze", oneWay).Stdout);
        Assert.Equal(JsonValueKind.Null, Symmetry(Tool.Run("analyze", oneWay, "--json")).GetProperty("share").ValueKind);
    }

    private static JsonElement Symmetry(Tool.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        return answer.RootElement.GetProperty("symmetry").Clone();
    }

    private static RssTuple Reverse(RssTuple t) => new(t.Destination, t.Source, t.Transport, t.DestinationPort, t.SourcePort);

    /// <summary>Writes the connections (forward then reverse, interleaved with one-way ones) and returns those seen both ways.</summary>
    private static List<RssTuple> WriteCapture(string path, int bothWays = BothWays)
    {
        var random = new Random(16);
        var capture = new CaptureBytes(bigEndian: false).PcapHeader(0xa1b2c3d4, 65535, 1);
        var both = new List<RssTuple>();
        for (int i = 0; i < bothWays + 50; i++)
        {
            var client = new IPAddress([10, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(1, 255)]);
            var server = new IPAddress([192, 0, 2, (byte)random.Next(1, 255)]);
            var flow = new RssTuple(client, server, TransportProtocol.Tcp, (ushort)random.Next(1024, 65536), (ushort)(i % 2 == 0 ? 443 : 80));
            capture.PcapRecord((uint)i, 0, Frame(flow));
            if (i < bothWays)
            {
                capture.PcapRecord((uint)i, 1, Frame(Reverse(flow)));
                both.Add(flow);
            }
        }

        File.WriteAllBytes(path, capture.ToArray());
        return both;
    }

    private static byte[] Frame(RssTuple t) =>
        new FrameBuilder().Ethernet().IPv4(t.Source.ToString(), t.Destination.ToString()).Tcp(t.SourcePort, t.DestinationPort).Build();
}
