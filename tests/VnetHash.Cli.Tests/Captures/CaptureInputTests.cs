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
