using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>pcapng edges built byte by byte (pcapng specification, draft-ietf-opsawg-pcapng sections 4.1-4.4).</summary>
public sealed class PcapngReaderTests
{
    private static readonly byte[] Payload = [1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Obsolete_packet_blocks_are_read(bool bigEndian)
    {
        byte[] file = new CaptureBytes(bigEndian).SectionHeader().Interface(1, 0).ObsoletePacket(0, 1_000_000, Payload).ToArray();

        CaptureFile.Summary summary = CaptureFile.Read(new MemoryStream(file));

        Assert.Equal(1, summary.Packets);
        Assert.Equal(Payload.Length, summary.CapturedLengths[0]);
        Assert.Equal(1_000_000_000L, summary.Timestamps[0]); // default resolution: microseconds
    }

    [Theory]
    [InlineData(3, 1_500UL, 1_500_000_000L)] // if_tsresol 3: milliseconds
    [InlineData(9, 7UL, 7L)] // nanoseconds
    [InlineData(0x80 | 10, 3_072UL, 3_000_000_000L)] // 2^-10 s
    [InlineData(6, 1_764_806_400_123_456UL, 1_764_806_400_123_456_000L)] // microseconds today: a 64-bit product
    [InlineData(7, 17_648_064_001_234_567UL, 1_764_806_400_123_456_700L)] // 100 ns units today: a 64-bit product
    [InlineData(8, 176_480_640_012_345_678UL, 1_764_806_400_123_456_780L)] // 10 ns units today: a 128-bit product
    [InlineData(9, 1_764_806_400_123_456_789UL, 1_764_806_400_123_456_789L)] // nanoseconds today
    [InlineData(6, 1UL << 54, long.MaxValue)] // microseconds in 2540: beyond what nanoseconds since 1970 can hold
    [InlineData(6, ulong.MaxValue, long.MaxValue)]
    public void Timestamp_resolution_is_a_power_of_10_or_of_2(byte resolution, ulong units, long nanoseconds)
    {
        byte[] file = new CaptureBytes(false).SectionHeader().Interface(1, 0, resolution).EnhancedPacket(0, units, Payload).ToArray();

        Assert.Equal(nanoseconds, CaptureFile.Read(new MemoryStream(file)).Timestamps[0]);
    }

    [Fact]
    public void Unknown_blocks_are_skipped()
    {
        byte[] file = new CaptureBytes(false).SectionHeader().Block(0x0BAD, [9, 9, 9, 9, 9]).Interface(1, 0).Block(5, new byte[20]).EnhancedPacket(0, 0, Payload).ToArray();

        Assert.Equal(1, CaptureFile.Read(new MemoryStream(file)).Packets);
    }

    [Fact]
    public void Interfaces_are_numbered_per_section()
    {
        byte[] file = new CaptureBytes(false)
            .SectionHeader().Interface(1, 0).Interface(113, 0).EnhancedPacket(1, 0, Payload)
            .SectionHeader().Interface(101, 0).EnhancedPacket(0, 0, Payload)
            .ToArray();

        CaptureFile.Summary summary = CaptureFile.Read(new MemoryStream(file));

        Assert.Equal([LinkType.LinuxSll, LinkType.Raw], summary.LinkTypes);
    }

    [Fact]
    public void Mismatched_trailing_length_is_damage_at_the_trailer()
    {
        var bytes = new CaptureBytes(false).SectionHeader();
        int interfaceOffset = bytes.Length;
        byte[] file = bytes.Block(1, new CaptureBytes(false).U16(1).U16(0).U32(0).ToArray(), trailerOverride: 99).ToArray();

        var (_, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Equal(interfaceOffset + 16, error.Offset);
        Assert.Contains("ends with total length 99", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13u, "not a multiple of 4")]
    [InlineData(8u, "less than the minimum 12")]
    [InlineData(4096u, "cut short")]
    public void Bad_block_lengths_are_named(uint totalLength, string reason)
    {
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        int offset = bytes.Length;
        byte[] file = bytes.U32(6).U32(totalLength).Raw(new byte[24]).ToArray();

        var (packets, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Equal(0, packets);
        Assert.Equal(offset, error.Offset);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_packet_for_an_undescribed_interface_is_damage()
    {
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        int offset = bytes.Length;
        byte[] file = bytes.EnhancedPacket(3, 0, Payload).ToArray();

        var (_, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("interface 3", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_captured_length_beyond_the_block_is_damage()
    {
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        byte[] body = new CaptureBytes(false).U32(0).U32(0).U32(0).U32(500).U32(500).Raw(Payload).Raw(0).ToArray();
        byte[] file = bytes.Block(6, body).ToArray();

        var (_, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Contains("claims 500 captured bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_inside_a_block_header_is_damage()
    {
        byte[] full = new CaptureBytes(false).SectionHeader().Interface(1, 0).EnhancedPacket(0, 0, Payload).ToArray();
        int cut = full.Length - 40 + 3;

        var (_, error) = CaptureFile.ReadUntilError(new MemoryStream(full[..cut]));

        Assert.Equal(full.Length - 40, error.Offset);
    }

    [Fact]
    public void A_bad_byte_order_magic_is_damage_at_offset_8()
    {
        byte[] file = new CaptureBytes(false).U32(0x0A0D0D0A).U32(28).U32(0x12345678).U16(1).U16(0).U32(0).U32(0).U32(28).ToArray();

        var error = Assert.Throws<CaptureFormatException>(() => CaptureFile.Read(new MemoryStream(file)));

        Assert.Equal(8, error.Offset);
    }

    [Fact]
    public void Simple_packets_need_an_interface()
    {
        byte[] file = new CaptureBytes(false).SectionHeader().SimplePacket(Payload).ToArray();

        var (_, error) = CaptureFile.ReadUntilError(new MemoryStream(file));

        Assert.Contains("interface 0", error.Reason, StringComparison.Ordinal);
    }
}
