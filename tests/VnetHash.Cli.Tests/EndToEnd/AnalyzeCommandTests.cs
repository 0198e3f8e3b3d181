using System.Text.Json;
using System.Xml.Linq;
using VnetHash.Cli.Analysis;
using VnetHash.Cli.Frames;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash analyze</c> run as a process.</summary>
public sealed class AnalyzeCommandTests
{
    [Fact]
    public void With_no_capture_it_analyses_the_bundled_sample_as_tables()
    {
        Tool.Result result = Tool.Run("analyze");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("sample.pcapng", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Queue", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Balance over the queues", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("TCPv4", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Json_has_totals_that_match_the_queues()
    {
        Tool.Result result = Tool.Run("analyze", "--json", "--queues", "8");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        long packets = root.GetProperty("packets").GetInt64();
        JsonElement[] queues = [.. root.GetProperty("queues").EnumerateArray()];
        Assert.Equal(8, queues.Length);
        Assert.Equal(packets, queues.Sum(q => q.GetProperty("packets").GetInt64()));
        Assert.Equal(Enumerable.Range(0, 8), queues.Select(q => q.GetProperty("queue").GetInt32()));
        long byType = root.GetProperty("hash_types").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(packets, byType);
    }

    [Fact]
    public void Text_tables_show_the_counts_the_json_report_has()
    {
        // As if from a terminal that takes styles, but written to a pipe: no styles then.
        Tool.Result text = Tool.RunWithEnvironment(new Dictionary<string, string> { ["TERM"] = "xterm", ["NO_COLOR"] = string.Empty }, "analyze", "--queues", "8", "--compare-profiles");
        Tool.Result json = Tool.Run("analyze", "--queues", "8", "--compare-profiles", "--json");

        Assert.Equal(0, text.ExitCode);
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        JsonElement root = document.RootElement;
        string[] lines = text.Stdout.Split('\n');

        // The first configuration's queue rows: queue, flows, bytes, packets, in order, between its header and border.
        int header = Array.FindIndex(lines, l => l.StartsWith("│ Queue │ Flows │", StringComparison.Ordinal));
        string[][] rows = [.. lines.Skip(header + 2).TakeWhile(l => l.StartsWith('│')).Select(Cells)];
        Assert.Equal(
            root.GetProperty("queues").EnumerateArray().Select(q => $"{q.GetProperty("queue")} {q.GetProperty("flows")} {q.GetProperty("bytes")} {q.GetProperty("packets")}"),
            rows.Select(r => string.Join(' ', r[..4])));

        // Hash types: each reported type and its packets, the first table after the first "Hash types" title.
        int types = Array.FindIndex(lines, l => l.StartsWith("│ Report ", StringComparison.Ordinal));
        Assert.Equal(
            root.GetProperty("hash_types").EnumerateObject().Where(p => p.Value.GetInt64() > 0).Select(p => $"{p.Name} {p.Value}"),
            lines.Skip(types + 2).TakeWhile(l => l.StartsWith('│')).Select(Cells).Select(r => $"{r[0]} {r[2]}"));

        // The comparison: one row per configuration, with its flows per queue.
        int comparison = Array.FindIndex(lines, l => l.StartsWith("│ Configuration ", StringComparison.Ordinal));
        Assert.Equal(
            root.GetProperty("comparisons").EnumerateArray().Select(c => $"{c.GetProperty("label").GetString()} {string.Join(' ', c.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("flows")))}"),
            lines.Skip(comparison + 2).TakeWhile(l => l.StartsWith('│')).Select(Cells).Select(r => $"{r[0]} {r[^1]}"));

        // Every table's lines are as wide as its borders.
        foreach (string[] table in Tables(lines))
        {
            Assert.All(table, l => Assert.Equal(table[0].Length, l.Length));
        }

        // Written to a pipe: no ANSI styles, and a rule that names each configuration across 120 columns.
        Assert.DoesNotContain('\e', text.Stdout);
        Assert.Equal(["virtio-spec", "linux-tun"], lines.Where(l => l.StartsWith("── ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));
        Assert.All(lines.Where(l => l.StartsWith("── ", StringComparison.Ordinal)), l => Assert.Equal(120, TextTable.Width(l)));

        static string[] Cells(string row) => [.. row.Trim('│').Split('│').Select(c => c.Trim())];

        static IEnumerable<string[]> Tables(string[] lines)
        {
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith('╭'))
                {
                    int end = Array.FindIndex(lines, i, l => l.StartsWith('╰'));
                    yield return lines[i..(end + 1)];
                    i = end;
                }
            }
        }
    }

    [Theory]
    [InlineData("xterm", "", true, true)]
    [InlineData("xterm", "1", true, false)] // no-color.org: no colour, bold stays
    [InlineData("dumb", "", false, false)]
    [InlineData("", "", false, false)]
    public void On_a_terminal_labels_are_bold_and_warnings_yellow_as_far_as_it_takes_styles(string term, string noColor, bool bold, bool colour)
    {
        Tool.Result result = Tool.RunOnTerminal(new Dictionary<string, string> { ["TERM"] = term, ["NO_COLOR"] = noColor }, "analyze", "--compare-profiles");

        Assert.Equal(0, result.ExitCode);
        string[] lines = [.. result.Stdout.Split('\n').Select(l => l.TrimEnd('\r'))];
        string Bold(string text) => bold ? $"\e[1m{text}\e[0m" : text;
        Assert.Contains(lines, l => l.StartsWith($"{Bold("Packets:")} ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Bold("RSS:")} 4 queues, ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"── {Bold("linux-tun")} ─", StringComparison.Ordinal));

        // The bundled sample has IP fragments, so a warning follows the tables.
        Assert.Contains(lines, l => l.StartsWith(colour ? "\e[93mwarning:\e[0m " : "warning: ", StringComparison.Ordinal));
        Assert.Equal(bold, lines.Any(l => l.Contains("\e[1m", StringComparison.Ordinal)));
        Assert.Equal(colour, lines.Any(l => l.Contains("\e[93m", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_large_capture_file_read_in_segments_counts_what_reading_it_as_a_stream_counts()
    {
        // About 16 MB: four segments of 4 MiB, read by every core, against the same bytes from standard input.
        using var dir = new TempDirectory();
        string capture = dir.File("large.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--flows", "4096", "--packets", "40000", "--seed", "1", "--out", capture).ExitCode);
        Assert.True(new FileInfo(capture).Length > 3 * 4 * 1024 * 1024);

        Tool.Result file = Tool.Run("analyze", capture, "--json", "--compare-profiles");
        Tool.Result stream = Tool.RunWithInput(File.ReadAllBytes(capture), "analyze", "-", "--json", "--compare-profiles");

        Assert.Equal(0, file.ExitCode);
        Assert.Equal(0, stream.ExitCode);
        using JsonDocument fromFile = JsonDocument.Parse(file.Stdout);
        using JsonDocument fromStream = JsonDocument.Parse(stream.Stdout);
        Assert.Equal(40_000, fromFile.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(WithoutCaptureNames(fromStream.RootElement), WithoutCaptureNames(fromFile.RootElement));
    }

    [Fact]
    public void A_generated_balanced_capture_spreads_flows_evenly()
    {
        // generate --balanced picks flows until each queue holds flows / queues of them; analyze must agree.
        using var dir = new TempDirectory();
        string capture = dir.File("balanced.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--flows", "40", "--packets", "40", "--seed", "3", "--balanced", "--queues", "4", "--out", capture).ExitCode);

        Tool.Result result = Tool.Run("analyze", capture, "--queues", "4", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(40, json.RootElement.GetProperty("packets").GetInt64());
        Assert.All(json.RootElement.GetProperty("queues").EnumerateArray(), q => Assert.Equal(10, q.GetProperty("flows").GetInt64()));
        JsonElement flows = json.RootElement.GetProperty("balance").GetProperty("flows");
        Assert.Equal(1.0, flows.GetProperty("max_over_mean").GetDouble());
        Assert.Equal(0.0, flows.GetProperty("coefficient_of_variation").GetDouble());
        Assert.Equal(0.25, flows.GetProperty("busiest_share").GetDouble());
    }

    [Fact]
    public void Csv_has_one_row_per_packet()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("flows.pcapng");
        string csv = dir.File("packets.csv");
        Tool.Run("generate", "--flows", "5", "--packets", "25", "--seed", "9", "--out", capture);

        Tool.Result result = Tool.Run("analyze", capture, "--csv", csv);

        Assert.Equal(0, result.ExitCode);
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("index,time,src,dst,sport,dport,proto,hash,report,queue", lines[0]);
        Assert.Equal(26, lines.Length);
        string[] first = lines[1].Split(',');
        Assert.Equal(10, first.Length);
        Assert.Equal("0", first[0]);
        Assert.Matches("^[0-9a-f]{8}$", first[7]);
        Assert.InRange(int.Parse(first[9]), 0, 3);
    }

    [Fact]
    public void Udp_with_udp_types_off_is_warned_about()
    {
        Tool.Result result = Tool.Run("analyze", "--types", "ipv4,tcpv4,ipv6,tcpv6", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("UDP", StringComparison.Ordinal));
        Assert.Equal(0, json.RootElement.GetProperty("hash_types").GetProperty("UDPv4").GetInt64());
    }

    [Fact]
    public void A_png_chart_has_the_png_signature()
    {
        using var dir = new TempDirectory();
        string chart = dir.File("queues.png");

        Assert.Equal(0, Tool.Run("analyze", "--chart", chart).ExitCode);

        byte[] bytes = File.ReadAllBytes(chart);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }

    [Fact]
    public void An_svg_chart_is_xml_with_an_svg_root()
    {
        using var dir = new TempDirectory();
        string chart = dir.File("queues.svg");

        Assert.Equal(0, Tool.Run("analyze", "--chart", chart, "--compare-keys", "microsoft,symmetric").ExitCode);

        XDocument svg = XDocument.Load(chart);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
    }

    [Fact]
    public void Comparing_keys_reports_each_key()
    {
        Tool.Result result = Tool.Run("analyze", "--compare-keys", "microsoft,symmetric", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement[] comparisons = [.. json.RootElement.GetProperty("comparisons").EnumerateArray()];
        Assert.Equal(["microsoft", "symmetric"], comparisons.Select(c => c.GetProperty("label").GetString()));
        Assert.All(comparisons, c => Assert.Equal(json.RootElement.GetProperty("packets").GetInt64(), c.GetProperty("packets").GetInt64()));
    }

    [Fact]
    public void Comparing_profiles_reports_both()
    {
        Tool.Result result = Tool.Run("analyze", "--compare-profiles");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("virtio-spec", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("linux-tun", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Comparison", result.Stdout, StringComparison.Ordinal);
    }

    [FileFact(TestFiles.GopacketPcaps + "/test_loopback.pcap", "golang-github-gopacket-gopacket-dev")]
    public void A_bsd_loopback_capture_is_hashed_as_ip()
    {
        // test_loopback.pcap: link type NULL, 24 IPv6 TCP packets between ::1 ports (tcpdump).
        Tool.Result result = Tool.Run("analyze", TestFiles.GopacketPcaps + "/test_loopback.pcap", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(24, json.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(24, json.RootElement.GetProperty("hash_types").GetProperty("TCPv6").GetInt64());
    }

    [FileFact(TestFiles.Pcapfix + "/test_damaged.pcap", "pcapfix")]
    public void A_damaged_capture_gives_results_then_a_warning_with_the_file_and_offset()
    {
        Tool.Result result = Tool.Run("analyze", TestFiles.Pcapfix + "/test_damaged.pcap");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("Balance over the queues", result.Stdout, StringComparison.Ordinal);
        Assert.StartsWith($"warning: capture '{TestFiles.Pcapfix}/test_damaged.pcap' is ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("at byte offset 114", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_capture_is_a_named_error()
    {
        Tool.Result result = Tool.Run("analyze", "/nonexistent/x.pcap");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("/nonexistent/x.pcap", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Cooked_raw_and_loopback_link_types_reach_the_dissector_as_ip()
    {
        // One pcapng, four interfaces: Linux cooked v1 (IPv4 and ARP), cooked v2, raw IPv4 (228), LOOP (108).
        byte[] ip = new FrameSpec { Source = [10, 0, 0, 1], Destination = [10, 0, 0, 2], Protocol = 17, SourcePort = 5000, DestinationPort = 53 }.BuildIP();
        byte[] sll = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, .. ip];
        byte[] sllArp = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x06, .. new byte[28]];
        byte[] sll2 = [0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, .. ip];
        byte[] loop = [0, 0, 0, 2, .. ip];
        byte[] file = new CaptureBytes(false).SectionHeader()
            .Interface(113, 0).Interface(276, 0).Interface(228, 0).Interface(108, 0)
            .EnhancedPacket(0, 0, sll).EnhancedPacket(0, 0, sllArp).EnhancedPacket(1, 0, sll2).EnhancedPacket(2, 0, ip).EnhancedPacket(3, 0, loop)
            .ToArray();
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("links.pcapng"), file);

        Tool.Result result = Tool.Run("analyze", dir.File("links.pcapng"), "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(5, json.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(4, json.RootElement.GetProperty("hash_types").GetProperty("UDPv4").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("hash_types").GetProperty("NONE").GetInt64());
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("non-IP", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_captures_add_up()
    {
        using var dir = new TempDirectory();
        Tool.Run("generate", "--flows", "3", "--packets", "7", "--out", dir.File("a.pcapng"));
        Tool.Run("generate", "--flows", "3", "--packets", "11", "--out", dir.File("b.pcapng"));

        Tool.Result result = Tool.Run("analyze", dir.File("a.pcapng"), dir.File("b.pcapng"), "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(18, json.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("captures").GetArrayLength());
    }

    [Fact]
    public void Json_carries_the_whole_configuration_the_table_and_symmetric_mode_included()
    {
        Tool.Result result = Tool.Run("analyze", "--json", "--queues", "2", "--table", "1,0,1,0", "--symmetric", "sorted");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement configuration = json.RootElement.GetProperty("configuration");
        Assert.Equal("[1,0,1,0]", configuration.GetProperty("indirection_table").GetRawText());
        Assert.Equal("sorted", configuration.GetProperty("symmetric").GetString());
        Assert.Equal(2, configuration.GetProperty("queues").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(VnetHash.Hashing.ToeplitzKey.MicrosoftKey), configuration.GetProperty("key").GetString());
    }

    [Fact]
    public void Text_shows_the_key_in_full_and_balance_on_flows_bytes_and_packets()
    {
        Tool.Result result = Tool.Run("analyze", "--key", "random");

        string key = result.Stderr.Split(' ')[4].TrimEnd(';');
        Assert.Matches("^[0-9a-f]{80}$", key);
        // Whole on one line, in a pipe as on a terminal, so that it can be found and copied.
        Assert.Contains(result.Stdout.Split('\n'), line => line.StartsWith($"RSS: 4 queues, key {key} (40 bytes), types ", StringComparison.Ordinal));
        foreach (string row in new[] { "│ flows ", "│ bytes ", "│ packets " })
        {
            Assert.Contains(row, result.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("chi-square", result.Stdout, StringComparison.Ordinal);
    }

    // The report as text, less the names of the captures (a path here, "standard input" there).
    private static string WithoutCaptureNames(JsonElement root) =>
        JsonSerializer.Serialize(root.EnumerateObject().Where(p => p.Name != "captures").ToDictionary(p => p.Name, p => p.Value));
}
