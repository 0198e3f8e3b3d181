using System.Globalization;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>hash --explain</c>: the framing, the headers walked, the tuple and the exact bytes hashed, every type the
/// virtio rules consider and why the chosen one won or none did, the table index and the queue.
/// </summary>
public sealed class HashExplainTests
{
    private static JsonElement Explain(byte[] frame, params string[] options)
    {
        Tool.Result result = Tool.Run(["hash", "--frame", Convert.ToHexStringLower(frame), "--explain", "--json", .. options]);
        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    [Fact]
    public void A_tcp_frame_shows_its_headers_the_bytes_hashed_and_the_table_step()
    {
        byte[] frame = new FrameBuilder().Ethernet().Vlan(7).IPv4("66.9.149.187", "161.142.100.80").Tcp(2794, 1766).Build();

        JsonElement answer = Explain(frame, "--queues", "4");

        JsonElement explain = answer.GetProperty("explain");
        Assert.Equal("ethernet", explain.GetProperty("framing").GetString());
        Assert.Equal(["Ethernet", "VLAN tag", "IPv4", "TCP"], explain.GetProperty("headers").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        Assert.Equal([0, 12, 18, 38], explain.GetProperty("headers").EnumerateArray().Select(h => h.GetProperty("offset").GetInt32()));

        // Microsoft's vector: source, destination, source port, destination port; hash 0x51ccc178.
        Assert.Equal("420995bba18e64500aea06e6", explain.GetProperty("input").GetString());
        Assert.Equal("51ccc178", answer.GetProperty("hash").GetString());
        Assert.Equal("66.9.149.187 -> 161.142.100.80, ports 2794 -> 1766", explain.GetProperty("tuple").GetString());
        Assert.Equal(0x51ccc178 & 127, explain.GetProperty("table_index").GetInt32());
        Assert.Equal((0x51ccc178 & 127) % 4, answer.GetProperty("queue").GetInt32());
        Assert.StartsWith("TCPv4 is the first type", explain.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_type_is_named_as_the_reason_for_the_next_one()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 80).Build();

        JsonElement answer = Explain(frame, "--types", "ipv4,udpv4");

        Assert.Equal("IPv4", answer.GetProperty("report").GetString());
        JsonElement tcp = answer.GetProperty("explain").GetProperty("types")[0];
        Assert.Equal("TCPv4", tcp.GetProperty("type").GetString());
        Assert.True(tcp.GetProperty("applies").GetBoolean());
        Assert.False(tcp.GetProperty("enabled").GetBoolean());
        Assert.Contains("TCPv4: applies, but --types leaves it out", answer.GetProperty("explain").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("0a0000010a000002", answer.GetProperty("explain").GetProperty("input").GetString());
    }

    [Fact]
    public void A_fragment_gets_an_address_only_type_and_says_so()
    {
        // virtio spec: fragments never get a TCP or UDP type.
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2", moreFragments: true).Tcp(1000, 80).Build();

        JsonElement answer = Explain(frame);

        Assert.Equal("IPv4", answer.GetProperty("report").GetString());
        Assert.Contains("TCPv4: a fragment: fragments never get a TCP or UDP type", answer.GetProperty("explain").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_transport_header_cut_short_gets_an_address_only_type_and_says_so()
    {
        byte[] whole = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 80).Build();

        JsonElement answer = Explain(whole[..(14 + 20 + 10)]);

        Assert.Equal("IPv4", answer.GetProperty("report").GetString());
        Assert.Contains("TCPv4: the TCP header is cut short (its 20 bytes must all be there)", answer.GetProperty("explain").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_with_a_home_address_hashes_it_in_place_of_the_source()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").DestinationOptions("2001:db8::99").Tcp(1000, 80).Build();

        JsonElement answer = Explain(frame);

        Assert.Equal("TCPv6_EX", answer.GetProperty("report").GetString());
        JsonElement explain = answer.GetProperty("explain");
        Assert.Equal("2001:db8::99 (home address) -> 2001:db8::2, ports 1000 -> 80", explain.GetProperty("tuple").GetString());
        Assert.Contains(explain.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Destination Options" && h.GetProperty("detail").GetString()!.Contains("Home Address 2001:db8::99", StringComparison.Ordinal));
        byte[] input = Convert.FromHexString(explain.GetProperty("input").GetString()!);
        Assert.Equal(36, input.Length);
        Assert.Equal(ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input).ToString("x8", CultureInfo.InvariantCulture), answer.GetProperty("hash").GetString());
    }

    /// <summary>
    /// Fuzz finding (fuzz/findings/explain): under linux-tun the flow dissector stops on a GRE version 1 header that
    /// is not PPTP's with the protocol it names (IPv4) pending, and reports it with the addresses it last read, the
    /// outer IPv6 header's first 8 address bytes. The explanation showed an "encapsulation" header of -4 bytes
    /// before the IPv6 header; it now says the walk stopped there and where the addresses come from.
    /// </summary>
    [Fact]
    public void A_linux_tun_walk_that_stops_on_a_pending_hand_over_says_whose_addresses_it_hashes()
    {
        byte[] ipv6 = Convert.FromHexString("6000000000042f40" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002");
        byte[] frame = [.. Convert.FromHexString("0200000000020200000000018" + "6dd"), .. ipv6, 0x30, 0x01, 0x08, 0x00];

        JsonElement answer = Explain(frame, "--profile", "linux-tun");

        Assert.Equal("IPv4", answer.GetProperty("report").GetString());
        JsonElement explain = answer.GetProperty("explain");
        Assert.Equal("32.1.13.184 -> 0.0.0.0", explain.GetProperty("tuple").GetString());
        JsonElement[] headers = [.. explain.GetProperty("headers").EnumerateArray()];
        Assert.All(headers, h => Assert.True(h.GetProperty("offset").GetInt32() >= 0 && h.GetProperty("length").GetInt32() >= 0
            && h.GetProperty("offset").GetInt32() + h.GetProperty("length").GetInt32() <= frame.Length, h.ToString()));
        Assert.DoesNotContain(headers, h => h.GetProperty("name").GetString() == "encapsulation");
        JsonElement pending = Assert.Single(headers, h => h.GetProperty("name").GetString() == "pending hand-over");
        Assert.Equal("the linux-tun rules stopped on a hand-over to IPv4 they did not follow: the addresses are those of the last IP header read, from offset 22", pending.GetProperty("detail").GetString());
        byte[] input = Convert.FromHexString(explain.GetProperty("input").GetString()!);
        Assert.Equal(ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input).ToString("x8", CultureInfo.InvariantCulture), answer.GetProperty("hash").GetString());
    }

    [Fact]
    public void A_non_ip_frame_says_why_and_goes_to_the_unclassified_queue()
    {
        byte[] arp = [.. new FrameBuilder().Ethernet(etherType: 0x0806).Build(), .. new byte[28]];

        JsonElement answer = Explain(arp, "--queues", "4", "--unclassified", "3");

        Assert.Equal("NONE", answer.GetProperty("report").GetString());
        Assert.Equal(3, answer.GetProperty("queue").GetInt32());
        Assert.Equal("no hash: not an IP packet the virtio-spec rules hash: EtherType 0x0806 (ARP) is not IPv4 (0x0800) or IPv6 (0x86dd)", answer.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("explain").GetProperty("table_index").ValueKind);
        Assert.Equal(string.Empty, answer.GetProperty("explain").GetProperty("input").GetString());
    }

    [Fact]
    public void L3_with_a_packet_too_short_for_ip_says_why_without_being_asked()
    {
        Tool.Result result = Tool.Run("hash", "--frame", "4500", "--l3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("00000000 NONE report=0 (no hash: not an IP packet the virtio-spec rules hash: the IPv4 header is cut short: at least 20 bytes are needed, 2 are there)", result.Stdout.Trim());
    }

    [Fact]
    public void L3_with_a_version_that_is_not_ip_says_so()
    {
        Tool.Result result = Tool.Run("hash", "--frame", "00112233", "--l3", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.EndsWith("the IP version nibble is 0; IPv4 has 4, IPv6 has 6", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_explanations_name_every_part()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Udp(5000, 53).Build();

        Tool.Result result = Tool.Run("hash", "--frame", Convert.ToHexStringLower(frame), "--explain", "--queues", "2", "--symmetric", "sorted");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.StartsWith("frame:   Ethernet frame, ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("headers:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("UDP: port 5000 -> 53", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("type:    UDPv4 (report 3)", StringComparison.Ordinal));

        // Sorted symmetric mode: the smaller address, then the smaller port, first.
        Assert.Contains("input:   0a0000010a00000200351388 (12 bytes", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("queue:   ", StringComparison.Ordinal) && l.Contains("table index", StringComparison.Ordinal));
    }

    [Fact]
    public void Explaining_stdin_in_text_is_refused_because_it_breaks_the_line_rule()
    {
        Tool.Result result = Tool.RunWithInput("00\n", "hash", "--frame", "-", "--explain");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("--explain with --frame - needs --json", result.Stderr, StringComparison.Ordinal);
    }
}
