using System.IO.Compression;
using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>
/// Fuzz findings (fuzz/findings/pcap, fuzz/findings/pcapng): a length field claimed megabytes the file did not have,
/// and the reader allocated them before reading. It now allocates only as bytes arrive.
/// </summary>
public sealed class LengthFieldTests
{
    // A pcap header, then a record that claims 0x303030 (3,158,064) captured bytes and ends the file.
    private static readonly byte[] PcapClaimingMegabytes =
    [
        0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30,
        0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30,
        0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x00,
        0x30, 0x30, 0x30, 0x30,
    ];

    // A big-endian Section Header Block that claims a total length of 0x303030 bytes and ends after its magic.
    private static readonly byte[] PcapngClaimingMegabytes = [0x0a, 0x0d, 0x0d, 0x0a, 0x00, 0x30, 0x30, 0x30, 0x1a, 0x2b, 0x3c, 0x4d];

    public static TheoryData<string, byte[], long, string> Claims => new()
    {
        { "pcap record", PcapClaimingMegabytes, 24, "packet data is cut short: the record claims 3158064 captured bytes, the file ends after 0" },
        { "pcapng block", PcapngClaimingMegabytes, 0, "block type 0xa0d0d0a is cut short: its total length is 3158064 bytes, the file ends after 12" },
    };

    [Theory]
    [MemberData(nameof(Claims))]
    public void A_length_claiming_more_than_the_file_holds_is_cut_short_without_allocating_the_claim(string what, byte[] file, long offset, string reason)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        CaptureFormatException error = Assert.Throws<CaptureFormatException>(() =>
        {
            using CaptureReader reader = CaptureReader.Open(new MemoryStream(file));
            while (reader.TryReadPacket(out _))
            {
            }
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(error.IsCutShort, what);
        Assert.Equal(offset, error.Offset);
        Assert.Equal(reason, error.Reason);
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated for a {file.Length}-byte file ({what})");
    }

    [Fact]
    public void A_record_longer_than_the_first_buffer_still_reads_whole()
    {
        // 200,000 bytes: the buffer grows past its first 64 KiB while the bytes arrive.
        byte[] data = [.. Enumerable.Range(0, 200_000).Select(i => (byte)i)];
        byte[] file = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0, .. new byte[8], .. BitConverter.GetBytes(data.Length), .. BitConverter.GetBytes(data.Length), .. data];

        using CaptureReader reader = CaptureReader.Open(new MemoryStream(file));

        Assert.True(reader.TryReadPacket(out CapturedPacket packet));
        Assert.Equal(data, packet.Data.ToArray());
        Assert.False(reader.TryReadPacket(out _));
    }

    /// <summary>Found in review beside the fuzz findings: each gzip level costs a decompressor, so one level is read, not more.</summary>
    [Fact]
    public void A_capture_compressed_twice_is_refused_by_name()
    {
        byte[] twice = Gzip(Gzip(PcapClaimingMegabytes[..24]));

        var error = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream(twice)));

        Assert.Equal("the file is gzip-compressed, and what it holds is not a capture either: it holds gzip-compressed data again; decompress it first", error.Reason);
        using CaptureReader once = CaptureReader.Open(new MemoryStream(Gzip(PcapClaimingMegabytes[..24])));
        Assert.True(once.IsCompressed);
        Assert.False(once.TryReadPacket(out _));
    }

    private static byte[] Gzip(byte[] data)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }
}
