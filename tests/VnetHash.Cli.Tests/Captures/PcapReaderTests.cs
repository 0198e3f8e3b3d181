using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>Classic pcap edges built byte by byte (libpcap savefile format: magic, byte order, ns timestamps).</summary>
public sealed class PcapReaderTests
{
    private static readonly byte[] Payload = [0xde, 0xad, 0xbe, 0xef, 0x01];

    [Theory]
    [InlineData(false, 0xa1b2c3d4u, 1_000_001_000L)]
    [InlineData(true, 0xa1b2c3d4u, 1_000_001_000L)]
    [InlineData(false, 0xa1b23c4du, 1_000_000_001L)]
    [InlineData(true, 0xa1b23c4du, 1_000_000_001L)]
    public void Both_byte_orders_and_both_timestamp_magics_read(bool bigEndian, uint magic, long nanoseconds)
    {
        byte[] file = new CaptureBytes(bigEndian).PcapHeader(magic, 65535, 1).PcapRecord(1, 1, Payload).PcapRecord(2, 0, Payload).ToArray();

        CaptureFile.Summary summary = CaptureFile.Read(new MemoryStream(file));

        Assert.Equal(2, summary.Packets);
        Assert.Equal(nanoseconds, summary.Timestamps[0]);
        Assert.Equal(Payload.Length, summary.CapturedLengths[0]);
    }

    [Fact]
    public void Fcs_bits_above_the_link_type_are_ignored()
    {
        // LINKTYPE_ field: bits 26-31 say whether frames carry an FCS; the link type is the low 16 bits.
        byte[] file = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 65535, 0x1400_0000 | 1).PcapRecord(0, 0, Payload).ToArray();

        Assert.Equal(LinkType.Ethernet, CaptureFile.Read(new MemoryStream(file)).LinkTypes[0]);
    }

    [Fact]
    public void A_truncated_global_header_is_damage_at_offset_0()
    {
        byte[] file = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 65535, 1).ToArray()[..10];

        var error = Assert.Throws<CaptureFormatException>(() => CaptureFile.Read(new MemoryStream(file)));

        Assert.Equal(0, error.Offset);
        Assert.Contains("global header", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_record_header_names_its_offset()
    {
        byte[] file = [.. new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 65535, 1).PcapRecord(0, 0, Payload).ToArray(), 1, 2, 3];

        var (packets, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Equal(1, packets);
        Assert.Equal(24 + 16 + Payload.Length, error.Offset);
        Assert.Contains("record header is cut short", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absurd_captured_length_is_damage_not_an_allocation()
    {
        byte[] file = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 65535, 1).U32(0).U32(0).U32(0x7FFF_FFFF).U32(10).ToArray();

        var (_, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Equal(24, error.Offset);
        Assert.Contains("limit", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 1, 2 }, "too short")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "unrecognised magic")]
    public void Non_captures_are_rejected_at_offset_0(byte[] file, string reason)
    {
        var error = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream(file)));

        Assert.Equal(0, error.Offset);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }
}
