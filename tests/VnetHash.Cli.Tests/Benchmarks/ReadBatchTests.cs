using VnetHash.Cli.Benchmarks;

namespace VnetHash.Cli.Tests.Benchmarks;

/// <summary>The benchmarks' batch lays packets out as the poll reader's slab does: header, then frame, each packet at the next 8-byte boundary.</summary>
public sealed class ReadBatchTests
{
    [Theory]
    [InlineData(54, 80)]
    [InlineData(60, 80)]
    [InlineData(62, 88)]
    [InlineData(74, 96)]
    public void Each_frame_lies_behind_room_for_its_header_and_each_packet_starts_at_the_next_8_byte_boundary(int frameLength, int stride)
    {
        byte[][] frames = [.. Enumerable.Range(1, 5).Select(i => Enumerable.Repeat((byte)i, frameLength).ToArray())];

        var batch = new ReadBatch(frames);

        Assert.Equal(stride, batch.Stride);
        Assert.Equal(5, batch.Count);
        Assert.Equal(frameLength, batch.FrameLength);
        Assert.Equal(5 * stride, batch.Packets.Length);
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(frames[i], batch.Frame(i).ToArray());
            Assert.Equal(i * stride, Offset(batch, batch.Header(i)));
            Assert.Equal((i * stride) + ReadBatch.HeaderSize, Offset(batch, batch.Frame(i)));
            Assert.All(batch.Header(i).ToArray(), b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void Frames_of_different_lengths_or_none_are_refused()
    {
        ArgumentException mixed = Assert.Throws<ArgumentException>(() => new ReadBatch([new byte[54], new byte[54], new byte[74]]));
        Assert.Contains("frame 2 has 74 bytes, frame 0 54", mixed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ReadBatch([]));
    }

    private static int Offset(ReadBatch batch, ReadOnlySpan<byte> part)
    {
        Assert.True(batch.Packets.AsSpan().Overlaps(part, out int offset));
        return offset;
    }
}
