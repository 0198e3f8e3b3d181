using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>
/// The readers take packets out of a buffer of their own: what a stream hands over in pieces (a pipe, a
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
        // 5000 records of 1000 bytes cross the 256 KiB buffer's end many times; the 3 MiB record needs a larger buffer.
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
    [InlineData(CaptureInput.ChunkLength)]
    [InlineData(CaptureInput.SegmentBufferLength)]
    public void A_segments_input_reads_little_past_its_stop_and_reads_a_record_across_it_whole(int bufferLength)
    {
        // Read up to the stop in 1000-byte records, as a segment's reader reads, the input must not fill its buffer
        // past the stop (the bytes there are the next segment's, read again by its reader): whole buffers would end at
        // 786,432 here. Yet the record that crosses the stop comes with the read that reached it, and a longer one
        // (40,000 bytes) with one more read of just what it needs.
        const int stop = 600_000;
        byte[] file = Payload(1024 * 1024, 3);
        var stream = new RecordingStream(file);
        using var input = new CaptureInput(stream, leaveOpen: false, position: 0, new byte[bufferLength], stop);
        while (input.Position < stop - 1_000)
        {
            long at = input.Position;
            Assert.Equal(file.AsSpan((int)at, 1_000), input.Read(1_000));
        }

        Assert.InRange(stream.BytesRead, stop, stop + CaptureInput.ReadPastStop);
        int reads = stream.Reads.Count;
        long across = input.Position;
        Assert.Equal(file.AsSpan((int)across, 2_000), input.Read(2_000));
        Assert.True(across < stop && across + 2_000 > stop, "the record crosses the stop");
        Assert.Equal(reads, stream.Reads.Count);

        long start = input.Position;
        Assert.Equal(file.AsSpan((int)start, 40_000), input.Read(40_000));
        Assert.Equal(reads + 1, stream.Reads.Count);
        Assert.Equal(start + 40_000, stream.BytesRead);
    }

    [Fact]
    public void A_segments_reader_fills_its_buffer_one_read_after_another()
    {
        // In a buffer of four reads each read lands where the read before it ended while a whole read fits there, so
        // that it does not overwrite the bytes just parsed; otherwise what is left (part of a record) moves to the front
        // and the read lands after it. Every read asks for a whole read's length.
        byte[] file = Payload(3 * 1024 * 1024, 5);
        byte[] buffer = new byte[CaptureInput.SegmentBufferLength];
        var stream = new RecordingStream(file, buffer);
        using var input = new CaptureInput(stream, leaveOpen: false, position: 0, buffer, stop: long.MaxValue);
        while (input.Position < file.Length - 1_000)
        {
            long at = input.Position;
            Assert.Equal(file.AsSpan((int)at, 1_000), input.Read(1_000));
        }

        Assert.True(stream.Reads.Count >= 12, $"{stream.Reads.Count} reads");
        Assert.All(stream.Reads, read => Assert.Equal(CaptureInput.ChunkLength, read.Length));
        Assert.Equal(0, stream.Reads[0].Offset);
        int moves = 0;
        for (int i = 1; i < stream.Reads.Count; i++)
        {
            int end = stream.Reads[i - 1].Offset + stream.Reads[i - 1].Length;
            if (buffer.Length - end >= CaptureInput.ChunkLength)
            {
                Assert.Equal(end, stream.Reads[i].Offset);
            }
            else
            {
                Assert.InRange(stream.Reads[i].Offset, 0, 999);
                moves++;
            }
        }

        Assert.InRange(moves, 1, stream.Reads.Count / 3);
    }

    [Fact]
    public void An_input_of_a_whole_stream_fills_its_buffer_at_every_read()
    {
        // No stop (a pipe, a decompressor, a file read from its start): the buffer starts at 4 KiB, doubles to 256 KiB
        // as bytes are consumed, and each read fills it, so 600,000 bytes take a few reads, not one per record.
        byte[] file = Payload(1024 * 1024, 3);
        var stream = new RecordingStream(file);
        using var input = new CaptureInput(stream, leaveOpen: false);
        while (input.Position < 600_000)
        {
            long at = input.Position;
            Assert.Equal(file.AsSpan((int)at, 1_000), input.Read(1_000));
        }

        Assert.InRange(stream.Reads.Count, 3, 12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Packets_taken_where_they_lie_in_the_buffer_are_those_read_block_by_block(bool bigEndian)
    {
        // A file in memory lets the pcapng reader take most packets where they lie in its buffer; a stream that hands
        // over one byte at a time leaves it only the block-by-block path. Every field must agree, whatever the block
        // types around them, their interfaces, a block to skip and a second section.
        byte[] file = Mixed(bigEndian).ToArray();

        Assert.Equal(603, Packets(new MemoryStream(file)).Count);
        Assert.Equal(Packets(new MemoryStream(file)), Packets(new Trickle(file, 1)));
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 7)]
    [InlineData(false, 256)]
    [InlineData(true, 7)]
    [InlineData(true, 256)]
    public void Packets_read_in_batches_are_those_read_one_by_one(bool bigEndian, int batch)
    {
        // Batches of 7 end inside runs of packets that lie in the buffer; the other block types, the interfaces, the
        // skipped block and the second section each end a run, and those blocks go through the one-by-one reader.
        byte[] file = Mixed(bigEndian).ToArray();
        byte[] pcap = Pcap(700, 90);

        var batched = Batched(file, batch);
        AssertSameReading(OneByOne(file), batched);
        Assert.Equal(603, batched.Packets.Count);
        AssertSameReading(OneByOne(pcap), Batched(pcap, batch));
    }

    [Theory]
    [InlineData("an interface the section did not describe")]
    [InlineData("a captured length beyond the block")]
    [InlineData("a block too short for its fields")]
    [InlineData("a trailer that disagrees")]
    [InlineData("a block cut short by the file's end")]
    public void A_damaged_capture_read_in_batches_stops_where_one_by_one_stops_with_the_same_error(string damage)
    {
        // The damaged block follows 603 packets that lie in the buffer with it: taking them in batches must stop
        // before it and leave it to the block reader, which names the damage.
        CaptureBytes bytes = Mixed(bigEndian: false);
        byte[] file = damage switch
        {
            "an interface the section did not describe" => bytes.EnhancedPacket(9, 1, Payload(60, 1)).ToArray(),
            "a captured length beyond the block" => bytes.Block(6, new CaptureBytes(false).U32(0).U32(0).U32(1).U32(64).U32(64).Raw(Payload(60, 2)).ToArray()).ToArray(),
            "a block too short for its fields" => bytes.Block(6, new CaptureBytes(false).U32(0).U32(0).U32(1).U32(0).ToArray()).ToArray(),
            "a trailer that disagrees" => bytes.Block(6, new CaptureBytes(false).U32(0).U32(0).U32(1).U32(8).U32(8).Raw(Payload(8, 3)).ToArray(), trailerOverride: 36).ToArray(),
            _ => bytes.EnhancedPacket(0, 1, Payload(60, 4)).ToArray()[..^10],
        };

        var oneByOne = OneByOne(file);

        Assert.Equal(603, oneByOne.Packets.Count);
        Assert.NotNull(oneByOne.Error);
        AssertSameReading(oneByOne, Batched(file, 256));
    }

    private static void AssertSameReading(
        (List<(LinkType LinkType, int Original, string Data)> Packets, string? Error) expected,
        (List<(LinkType LinkType, int Original, string Data)> Packets, string? Error) actual)
    {
        Assert.Equal(expected.Packets, actual.Packets);
        Assert.Equal(expected.Error, actual.Error);
    }

    // Enhanced Packet Blocks of two interfaces among Simple and obsolete Packet Blocks, a block to skip, and a second
    // section of another link type.
    private static CaptureBytes Mixed(bool bigEndian)
    {
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

        // A packet cut to a snap length, and one whose original length (less than what was captured) is taken as the
        // captured length.
        bytes.Block(6, new CaptureBytes(bigEndian).U32(0).U32(0).U32(7).U32(48).U32(1514).Raw(Payload(48, 5)).ToArray())
            .Block(6, new CaptureBytes(bigEndian).U32(1).U32(0).U32(8).U32(48).U32(20).Raw(Payload(48, 6)).ToArray());
        return bytes.SectionHeader().Interface(228, 0).EnhancedPacket(0, 5, Payload(70, 1));
    }

    private static (List<(LinkType LinkType, int Original, string Data)> Packets, string? Error) OneByOne(byte[] file)
    {
        var packets = new List<(LinkType, int, string)>();
        using CaptureReader reader = CaptureReader.Open(new MemoryStream(file));
        try
        {
            while (reader.TryReadPacket(out CapturedPacket p))
            {
                packets.Add((p.LinkType, p.OriginalLength, Convert.ToHexString(p.Data)));
            }
        }
        catch (CaptureFormatException e)
        {
            return (packets, $"{e.Offset}: {e.Reason}");
        }

        return (packets, null);
    }

    private static (List<(LinkType LinkType, int Original, string Data)> Packets, string? Error) Batched(byte[] file, int batch)
    {
        var packets = new List<(LinkType, int, string)>();
        using CaptureReader reader = CaptureReader.Open(new MemoryStream(file));
        try
        {
            long read = reader.ReadBatches(new BufferedPacket[batch], (bytes, taken) =>
            {
                Assert.InRange(taken.Length, 0, batch);
                foreach (BufferedPacket p in taken)
                {
                    packets.Add((p.LinkType, p.OriginalLength, Convert.ToHexString(bytes.Slice(p.Start, p.Length))));
                }
            });
            Assert.Equal(packets.Count, read);
        }
        catch (CaptureFormatException e)
        {
            return (packets, $"{e.Offset}: {e.Reason}");
        }

        return (packets, null);
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

    /// <summary>
    /// A stream that records each read made of it: where in the reader's buffer it lands (when that buffer is given, else
    /// -1), how much it may take, and how much it took.
    /// </summary>
    private sealed class RecordingStream(byte[] bytes, byte[]? buffer = null) : MemoryStream(bytes)
    {
        public List<(int Offset, int Length, int Taken)> Reads { get; } = [];

        public long BytesRead => Reads.Sum(read => (long)read.Taken);

        // CaptureInput reads spans only.
        public override int Read(Span<byte> destination)
        {
            int offset = buffer is null ? -1 : (int)Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(buffer), ref MemoryMarshal.GetReference(destination));
            int taken = base.Read(destination);
            Reads.Add((offset, destination.Length, taken));
            return taken;
        }
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
