using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>
/// The readers take packets out of a 1 MiB buffer of their own: what a stream hands over in pieces (a pipe, a
/// decompressor), records larger than the buffer and records that straddle two fills read as from a file.
/// </summary>
public sealed class CaptureInputTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void A_stream_that_hands_over_a_few_bytes_at_a_time_reads_as_a_whole_file(int piece)
    {
        byte[] pcapng = Pcapng(2_000, 300);
        byte[] pcap = Pcap(2_000, 300);

        Assert.Equal(CaptureFile.Read(new MemoryStream(pcapng)), CaptureFile.Read(new Trickle(pcapng, piece)), SummaryComparer.Instance);
        Assert.Equal(CaptureFile.Read(new MemoryStream(pcap)), CaptureFile.Read(new Trickle(pcap, piece)), SummaryComparer.Instance);
    }

    [Fact]
    public void Records_larger_than_the_buffer_and_records_across_its_end_are_read_whole()
    {
        // 5000 records of 1000 bytes cross the 1 MiB buffer's end several times; the 3 MiB record needs a larger buffer.
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        for (int i = 0; i < 5_000; i++)
        {
            bytes.EnhancedPacket(0, (ulong)i, Payload(1_000, i));
        }

        bytes.EnhancedPacket(0, 0, Payload(3 * 1024 * 1024, 7)).EnhancedPacket(0, 0, Payload(60, 8));

        using CaptureReader reader = CaptureReader.Open(new MemoryStream(bytes.ToArray()));
        for (int i = 0; i < 5_000; i++)
        {
            Assert.True(reader.TryReadPacket(out CapturedPacket packet));
            Assert.Equal(Payload(1_000, i), packet.Data.ToArray());
        }

        Assert.True(reader.TryReadPacket(out CapturedPacket large));
        Assert.Equal(Payload(3 * 1024 * 1024, 7), large.Data.ToArray());
        Assert.True(reader.TryReadPacket(out CapturedPacket last));
        Assert.Equal(Payload(60, 8), last.Data.ToArray());
        Assert.False(reader.TryReadPacket(out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Packets_taken_where_they_lie_in_the_buffer_are_those_read_block_by_block(bool bigEndian)
    {
        // A file in memory lets the pcapng reader take most packets where they lie in its buffer; a stream that hands
        // over one byte at a time leaves it only the block-by-block path. Every field must agree, whatever the block
        // types around them, their interfaces, a block to skip and a second section.
        var bytes = new CaptureBytes(bigEndian).SectionHeader().Interface(1, 0).Interface(113, 0, timestampResolution: 9);
        for (int i = 0; i < 600; i++)
        {
            _ = (i % 4) switch
            {
                0 => bytes.EnhancedPacket((uint)(i / 4 % 2), (ulong)i * 1_000_003, Payload(40 + (i % 13), i)),
                1 => bytes.SimplePacket(Payload(30 + (i % 5), i)),
                2 => bytes.ObsoletePacket(1, (ulong)i, Payload(50, i)),
                _ => bytes.Block(0x99, Payload(16, i)).EnhancedPacket(0, (ulong)i, Payload(64 + (i % 3), i)),
            };
        }

        byte[] file = bytes.SectionHeader().Interface(228, 0).EnhancedPacket(0, 5, Payload(70, 1)).ToArray();

        Assert.Equal(601, Packets(new MemoryStream(file)).Count);
        Assert.Equal(Packets(new MemoryStream(file)), Packets(new Trickle(file, 1)));
    }

    private static List<(long Offset, int Interface, LinkType LinkType, long Time, int Original, string Data)> Packets(Stream stream)
    {
        using CaptureReader reader = CaptureReader.Open(stream);
        var packets = new List<(long, int, LinkType, long, int, string)>();
        while (reader.TryReadPacket(out CapturedPacket p))
        {
            packets.Add((p.Offset, p.InterfaceId, p.LinkType, p.TimestampNanoseconds, p.OriginalLength, Convert.ToHexString(p.Data)));
        }

        return packets;
    }

    private static byte[] Pcapng(int packets, int length)
    {
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        for (int i = 0; i < packets; i++)
        {
            bytes.EnhancedPacket(0, (ulong)i, Payload(length + (i % 7), i));
        }

        return bytes.ToArray();
    }

    private static byte[] Pcap(int packets, int length)
    {
        var bytes = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 65535, 1);
        for (int i = 0; i < packets; i++)
        {
            bytes.PcapRecord((uint)i, 0, Payload(length + (i % 7), i));
        }

        return bytes.ToArray();
    }

    private static byte[] Payload(int length, int seed)
    {
        byte[] payload = new byte[length];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    /// <summary>A stream that returns at most <paramref name="piece"/> bytes per read, as a pipe may.</summary>
    private sealed class Trickle(byte[] bytes, int piece) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, piece)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));
    }

    private sealed class SummaryComparer : IEqualityComparer<CaptureFile.Summary>
    {
        public static readonly SummaryComparer Instance = new();

        public bool Equals(CaptureFile.Summary? x, CaptureFile.Summary? y) =>
            x is not null && y is not null && x.Packets == y.Packets && x.Format == y.Format
            && x.LinkTypes.SequenceEqual(y.LinkTypes) && x.CapturedLengths.SequenceEqual(y.CapturedLengths) && x.Timestamps.SequenceEqual(y.Timestamps);

        public int GetHashCode(CaptureFile.Summary obj) => obj.Packets;
    }
}
