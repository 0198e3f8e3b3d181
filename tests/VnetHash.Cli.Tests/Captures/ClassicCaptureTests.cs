using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>
/// Classic pcap files from Debian packages. Expected counts are what <c>tcpdump -r</c> reports; for the damaged
/// files tcpdump reads the same packets and then stops with "truncated dump file".
/// </summary>
public sealed class ClassicCaptureTests
{
    [FileTheory(TestFiles.GopacketPcaps, "golang-github-gopacket-gopacket-dev")]
    [InlineData(TestFiles.GopacketPcaps + "/test_ethernet.pcap", 10, LinkType.Ethernet)]
    [InlineData(TestFiles.GopacketPcaps + "/test_dns.pcap", 10, LinkType.Ethernet)]
    [InlineData(TestFiles.GopacketPcaps + "/test_loopback.pcap", 24, LinkType.Null)]
    public void Gopacket_captures_read_with_tcpdumps_counts(string path, int packets, LinkType linkType) =>
        AssertCapture(path, packets, linkType);

    [FileTheory(TestFiles.Dpkt, "python3-dpkt")]
    [InlineData(TestFiles.Dpkt + "/http.pcap", 43)]
    [InlineData(TestFiles.Dpkt + "/dns_icmp.pcap", 32)]
    [InlineData(TestFiles.Dpkt + "/nb6-http.pcap", 62)]
    [InlineData(TestFiles.Dpkt + "/truncated_dns.pcap", 1)]
    public void Dpkt_captures_read_with_tcpdumps_counts(string path, int packets) =>
        AssertCapture(path, packets, LinkType.Ethernet);

    [FileTheory(TestFiles.Pcapfix, "pcapfix")]
    [InlineData(TestFiles.Pcapfix + "/test.pcap", 28)]
    [InlineData(TestFiles.Pcapfix + "/test_2018.pcap", 1)]
    public void Pcapfix_captures_read_with_tcpdumps_counts(string path, int packets) =>
        AssertCapture(path, packets, LinkType.Ethernet);

    [FileFact(TestFiles.Dpkt + "/truncated_dns.pcap", "python3-dpkt")]
    public void A_snaplen_truncated_packet_keeps_its_original_length()
    {
        // The one record has caplen 200 (the snap length) and len 238.
        using CaptureReader reader = CaptureReader.Open(TestFiles.Dpkt + "/truncated_dns.pcap");
        Assert.True(reader.TryReadPacket(out CapturedPacket packet));
        Assert.Equal(200, packet.Data.Length);
        Assert.Equal(238, packet.OriginalLength);
    }

    [FileFact(TestFiles.Dpkt + "/truncated_dns_2.pcap", "python3-dpkt")]
    public void A_record_cut_short_names_its_offset()
    {
        // tcpdump: one packet, then "truncated dump file". The first record holds 200 bytes, so the second
        // record starts at 24 + 16 + 200 = 240.
        using FileStream stream = File.OpenRead(TestFiles.Dpkt + "/truncated_dns_2.pcap");
        (int packets, CaptureFormatException error) = CaptureFile.ReadUntilError(stream);

        Assert.Equal(1, packets);
        Assert.Equal(240, error.Offset);
        Assert.Contains("cut short", error.Reason, StringComparison.Ordinal);
        Assert.Contains("240", error.Message, StringComparison.Ordinal);
    }

    [FileFact(TestFiles.Pcapfix + "/test_damaged.pcap", "pcapfix")]
    public void A_damaged_record_length_names_its_offset()
    {
        // tcpdump: one packet, then "truncated dump file; tried to read 16896 captured bytes". The first
        // record holds 74 bytes, so the damaged record starts at 24 + 16 + 74 = 114.
        using FileStream stream = File.OpenRead(TestFiles.Pcapfix + "/test_damaged.pcap");
        (int packets, CaptureFormatException error) = CaptureFile.ReadUntilError(stream);

        Assert.Equal(1, packets);
        Assert.Equal(114, error.Offset);
        Assert.Contains("16896", error.Reason, StringComparison.Ordinal);
    }

    [FileFact(TestFiles.Pcapfix + "/test_without_pcap_header.pcap", "pcapfix")]
    public void A_file_without_a_header_is_rejected_at_offset_0()
    {
        // tcpdump: "unknown file format".
        using FileStream stream = File.OpenRead(TestFiles.Pcapfix + "/test_without_pcap_header.pcap");
        var error = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(stream));

        Assert.Equal(0, error.Offset);
        Assert.Contains("magic", error.Reason, StringComparison.Ordinal);
    }

    private static void AssertCapture(string path, int packets, LinkType linkType)
    {
        CaptureFile.Summary summary = CaptureFile.Read(path);
        Assert.Equal(CaptureFormat.Pcap, summary.Format);
        Assert.Equal(packets, summary.Packets);
        Assert.All(summary.LinkTypes, l => Assert.Equal(linkType, l));
    }
}
