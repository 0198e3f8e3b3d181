using System.IO.Compression;
using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>
/// A capture file read in segments by several threads counts exactly what one thread reading it from the start counts,
/// in either byte order and either format; and whenever the segments cannot be trusted to be that reading (damage, an
/// interface described late, a wrong guess at where a segment's first record starts), nothing is counted and the file
/// is read from its start instead, with the same result and the same report of damage.
/// </summary>
public sealed class SegmentedAnalysisTests
{
    // Small segments, so that a capture of a few MiB has hundreds of boundaries, inside records of every size.
    private const int Segment = 16 * 1024;
    private const int Threads = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Segments_of_a_pcapng_count_what_one_thread_counts(bool bigEndian)
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(bigEndian).SectionHeader().Interface(1, 0);
        int packets = 0;
        foreach (byte[] frame in Frames(6_000))
        {
            bytes.EnhancedPacket(0, (ulong)packets++, frame);
            if (packets % 500 == 0)
            {
                // Blocks no packet is in (statistics, name resolution) are skipped inside segments too.
                bytes.Block(5, new byte[20]).Block(4, new byte[36]);
            }
        }

        string path = Write(directory.File("mixed.pcapng"), bytes.ToArray());

        AssertSegmentsCountAsOneThread(path, packets);
    }

    [Theory]
    [InlineData(false, 0xa1b2c3d4u)]
    [InlineData(true, 0xa1b2c3d4u)]
    [InlineData(false, 0xa1b23c4du)]
    public void Segments_of_a_classic_pcap_count_what_one_thread_counts(bool bigEndian, uint magic)
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(bigEndian).PcapHeader(magic, 262_144, 1);
        int packets = 0;
        foreach (byte[] frame in Frames(6_000))
        {
            bytes.PcapRecord(1_700_000_000u + (uint)(packets / 100), (uint)(packets % 1000) * 997, frame);
            packets++;
        }

        string path = Write(directory.File("mixed.pcap"), bytes.ToArray());

        AssertSegmentsCountAsOneThread(path, packets);
    }

    [Fact]
    public void A_classic_pcap_stamped_near_time_zero_counts_what_one_thread_counts()
    {
        // Four bytes into a true header the fields read as a header stamped near zero too, so a segment may guess a
        // start shifted into the true chain; the join sees it, and the file is read from its start.
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(true).PcapHeader(0xa1b2c3d4, 0, 1);
        int packets = 0;
        foreach (byte[] frame in Frames(6_000))
        {
            bytes.PcapRecord((uint)(packets / 1000), (uint)(packets % 1000) * 997, frame);
            packets++;
        }

        string path = Write(directory.File("epoch.pcap"), bytes.ToArray());
        AssertFeedCountsAsOneThread(path, packets);
    }

    [Fact]
    public void A_segment_that_starts_four_bytes_into_a_pcap_header_reads_a_shifted_chain_the_join_refuses()
    {
        // Stamped near zero, the shifted fields pass every check a header gets, the time window included.
        using var directory = new TempDirectory();
        string path = Write(directory.File("shifted.pcap"), ShiftableCapture(firstSeconds: 0));

        Assert.Null(SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, ShiftedSegment));
        AssertFeedCountsAsOneThread(path, ShiftablePackets);
    }

    [Fact]
    public void Stamped_like_a_real_capture_the_same_records_give_no_shifted_chain_and_the_segments_join()
    {
        // The same records stamped in 2023: four bytes in, the fraction read as seconds lies decades before the first
        // packet, so the search passes over the shifted chain to the true one.
        using var directory = new TempDirectory();
        string path = Write(directory.File("dated.pcap"), ShiftableCapture(firstSeconds: 1_700_000_000));
        CaptureAnalyzer[] segmented = Analyzers();

        Assert.Equal(ShiftablePackets, SegmentedAnalysis.TryRun(path, segmented, Threads, null, CancellationToken.None, ShiftedSegment));
        (CaptureFeed one, CaptureAnalyzer[] sequential) = Feed(path, workers: 0);
        Assert.Equal(ShiftablePackets, one.Packets);
        for (int i = 0; i < sequential.Length; i++)
        {
            ParallelAnalysisTests.AssertSameCounts(sequential[i].Counters, segmented[i].Counters);
        }
    }

    [Fact]
    public void Toward_the_files_end_segments_shrink_to_a_share_of_what_is_left_and_count_what_one_thread_counts()
    {
        // Segments of 512 KiB for two readers over 3,000 blocks of 1,032 bytes after 48 bytes of headers: each segment is
        // a quarter of what is left from its start, between one buffer (256 KiB) and 512 KiB, rounded down to whole words:
        // 3,096,000 bytes left give 524,288 twice (a quarter is more), then 511,856 (of 2,047,424 left), 383,892 and
        // 287,916, then 262,144 three times (a quarter is less), and the last 77,328 bytes.
        const int large = 512 * 1024;
        const int readers = 2;
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        var generator = new MixedFrameGenerator(seed: 9);
        for (int i = 0; i < 3_000; i++)
        {
            byte[] frame = new byte[1_000];
            byte[] generated = generator.Next();
            generated.AsSpan(0, Math.Min(frame.Length, generated.Length)).CopyTo(frame);
            bytes.EnhancedPacket(0, (ulong)i, frame);
        }

        string path = Write(directory.File("guided.pcapng"), bytes.ToArray());
        using (CaptureSegments segments = CaptureSegments.TryOpen(path, large, readers)!)
        {
            long[] sizes = [.. Enumerable.Range(0, segments.Count).Select(i => (i + 1 < segments.Count ? segments.StartOf(i + 1) : segments.Length) - segments.StartOf(i))];
            Assert.Equal(48, segments.StartOf(0));
            Assert.Equal([524_288, 524_288, 511_856, 383_892, 287_916, 262_144, 262_144, 262_144, 77_328], sizes);
        }

        AssertSegmentedCountsAsOneThread(path, 3_000, large, readers);
    }

    [Fact]
    public void A_record_longer_than_several_segments_is_read_once()
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        int packets = 0;
        foreach (byte[] frame in Frames(3_000))
        {
            bytes.EnhancedPacket(0, 0, frame);
            if (++packets % 1_000 == 0)
            {
                // Frames of 100 KB (a GRO super-packet as a host's capture shows it): segments start and end inside it.
                byte[] large = new byte[100_000];
                frame.CopyTo(large, 0);
                bytes.EnhancedPacket(0, 0, large);
                packets++;
            }
        }

        string path = Write(directory.File("large.pcapng"), bytes.ToArray());

        AssertSegmentsCountAsOneThread(path, packets);
    }

    [Fact]
    public void A_segment_a_long_record_covers_that_finds_a_start_inside_it_is_a_wrong_guess_the_join_catches()
    {
        // Segments of 36 bytes from the first packet at 24: two empty records, then one of 85 bytes (56 to the file's
        // end at 141) whose last 16 bytes read as the header of an empty record. The segment from 96 to 132, which
        // that record covers, finds the lookalike at 125 and reads a packet that is not in the capture; the chain
        // from the first packet reached the file's end before it, so a start there means the segments do not join.
        const uint seconds = 1_700_000_000;
        using var directory = new TempDirectory();
        byte[] payload = new byte[69];
        new CaptureBytes(false).PcapRecord(seconds, 0, []).ToArray().CopyTo(payload, 69 - 16);
        byte[] capture = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 262_144, 1)
            .PcapRecord(seconds, 0, []).PcapRecord(seconds, 0, []).PcapRecord(seconds, 0, payload).ToArray();
        string path = Write(directory.File("covered.pcap"), capture);

        Assert.Null(SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, segmentBytes: 36));
        AssertFeedCountsAsOneThread(path, 3);
    }

    [Fact]
    public void Damage_in_a_later_segment_sends_the_file_to_a_reading_from_its_start()
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        int packets = 0;
        foreach (byte[] frame in Frames(6_000))
        {
            if (packets++ == 4_000)
            {
                bytes.Block(6, new byte[40], trailerOverride: 999);
            }

            bytes.EnhancedPacket(0, 0, frame);
        }

        string path = Write(directory.File("damaged.pcapng"), bytes.ToArray());
        CaptureAnalyzer[] segmented = Analyzers();

        Assert.Null(SegmentedAnalysis.TryRun(path, segmented, Threads, null, CancellationToken.None, Segment));
        Assert.All(segmented, analyzer => Assert.Equal(0, analyzer.Packets));

        // Through the feed: the reading from the start reports the damage where it is, and counts what is before it.
        (CaptureFeed one, CaptureAnalyzer[] sequential) = Feed(path, workers: 0);
        (CaptureFeed many, CaptureAnalyzer[] parallel) = Feed(path, workers: 2);
        Assert.Equal(4_000, many.Packets);
        CaptureProblem problem = Assert.Single(many.Problems);
        Assert.Equal(Assert.Single(one.Problems).Offset, problem.Offset);
        Assert.Contains("ends with total length 999", problem.Message, StringComparison.Ordinal);
        ParallelAnalysisTests.AssertSameCounts(sequential[0].Counters, parallel[0].Counters);
    }

    [Fact]
    public void An_interface_described_after_the_first_packet_sends_the_file_to_a_reading_from_its_start()
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        int packets = 0;
        foreach (byte[] frame in Frames(6_000))
        {
            bool late = packets++ >= 3_000;
            if (packets == 3_001)
            {
                // Raw IP from here on, on a second interface: segments after it could not know its link type.
                bytes.Interface(101, 0);
            }

            bytes.EnhancedPacket(late ? 1u : 0u, 0, late && frame.Length > 14 ? frame[14..] : frame);
        }

        string path = Write(directory.File("late-interface.pcapng"), bytes.ToArray());

        Assert.Null(SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, Segment));
        AssertFeedCountsAsOneThread(path, packets);
    }

    [Fact]
    public void Payload_that_reads_as_blocks_is_a_wrong_guess_the_join_catches()
    {
        // Every packet carries a chain of 16-byte blocks, at offsets a block could start at (the Enhanced Packet Block
        // header is 28 bytes, the frame 56 more), that a segment starting inside it takes for the capture's own.
        using var directory = new TempDirectory();
        var fake = new CaptureBytes(false);
        for (int i = 0; i < 90; i++)
        {
            fake.U32(6).U32(16).U32(0).U32(16);
        }

        var generator = new MixedFrameGenerator(seed: 5);
        byte[] headers = generator.Next();
        while (headers.Length < 56)
        {
            headers = generator.Next();
        }

        byte[] frame = [.. headers.AsSpan(0, 56), .. fake.ToArray()];
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        for (int i = 0; i < 3_000; i++)
        {
            bytes.EnhancedPacket(0, 0, frame);
        }

        string path = Write(directory.File("lookalike.pcapng"), bytes.ToArray());

        Assert.Null(SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, Segment));
        AssertFeedCountsAsOneThread(path, 3_000);
    }

    [Fact]
    public void At_the_files_end_a_lookalike_block_followed_by_one_longer_than_the_file_is_not_a_start()
    {
        // The last segment starts 8 bytes into the data of packet 290: there a 16-byte lookalike block, then a header
        // of a block of 64 KiB, which the file is too short to hold. Inside the file such a block may go on in the
        // next segment, at its end it cannot: the search passes on to packet 291.
        using var directory = new TempDirectory();
        byte[] lookalike = [.. LookalikeBlock(), .. new CaptureBytes(false).U32(0xBAD).U32(64 * 1024).ToArray()];
        string path = Write(directory.File("long-at-end.pcapng"), ZeroFramesPcapng(patched: 290, at: 8, lookalike, out int segment, lastSegment: true));

        Assert.Equal(ZeroFramePackets, SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, segment));
    }

    [Fact]
    public void At_the_files_end_a_chain_must_end_exactly_there()
    {
        // The last segment is the last 24 bytes of the file, inside the data of its last packet: a 16-byte lookalike
        // block, then 8 bytes that cannot hold another. A chain that stops short of the file's end is not one, so the
        // segment has no start, and the packet before it covers it.
        using var directory = new TempDirectory();
        string path = Write(directory.File("short-at-end.pcapng"), ZeroFramesPcapng(patched: ZeroFramePackets - 1, at: 80, LookalikeBlock(), out int segment, lastSegment: true));

        Assert.Equal(ZeroFramePackets, SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, segment));
    }

    [Theory]
    [InlineData(1_000_000u, 0u, 0u)] // a fraction of a whole second
    [InlineData(0u, 4u, 0u)] // more bytes captured than the packet had
    public void Pcap_lookalike_headers_that_no_writer_makes_are_not_a_start(uint fraction, uint captured, uint original)
    {
        // A segment starts 8 bytes into a frame that holds four headers in a row, each wrong in one field only; taken
        // for records, they would send the file to a reading from its start. The search passes on to the next record.
        var lookalikes = new CaptureBytes(false);
        for (int i = 0; i < 4; i++)
        {
            lookalikes.U32(ZeroFrameSeconds).U32(fraction).U32(captured).U32(original).Raw(new byte[captured]);
        }

        using var directory = new TempDirectory();
        string path = Write(directory.File("lookalike.pcap"), ZeroFramesPcap(patched: 150, at: 8, lookalikes.ToArray(), out int segment));

        Assert.Equal(ZeroFramePackets, SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, segment));
    }

    [Fact]
    public void Pcapng_lookalike_blocks_of_a_length_that_is_not_a_multiple_of_4_are_not_a_start()
    {
        // Three blocks of 18 bytes whose trailers repeat that length, 8 bytes into a frame where a segment starts:
        // blocks are whole words long, so the search passes on to the next block.
        var lookalikes = new CaptureBytes(false);
        for (int i = 0; i < 3; i++)
        {
            lookalikes.U32(0xBAD).U32(18).Raw(new byte[6]).U32(18);
        }

        using var directory = new TempDirectory();
        string path = Write(directory.File("odd-length.pcapng"), ZeroFramesPcapng(patched: 150, at: 8, lookalikes.ToArray(), out int segment));

        Assert.Equal(ZeroFramePackets, SegmentedAnalysis.TryRun(path, Analyzers(), Threads, null, CancellationToken.None, segment));
    }

    [Fact]
    public void An_interrupted_reading_counts_what_it_read_in_every_analysis_and_says_it_was_interrupted()
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        foreach (byte[] frame in Frames(6_000))
        {
            bytes.EnhancedPacket(0, 0, frame);
        }

        string path = Write(directory.File("interrupted.pcapng"), bytes.ToArray());
        CaptureAnalyzer[] analyzers = Analyzers();
        var feed = new CaptureFeed(analyzers, csv: null, workers: 2, segmentBytes: Segment);
        using var interrupt = new CancellationTokenSource();

        // Ctrl-C as this thread takes its first segment. How far the other thread got by then is up to the scheduler
        // (it may even have read every segment before this thread took one, and then there was nothing to interrupt),
        // so the count is anything from none to all; what must hold is that it was counted whole, the same in every
        // analysis, and that a reading that was interrupted says so.
        Exception? thrown = Record.Exception(() => feed.Read(CaptureSource.Named(path), _ => interrupt.Cancel(), interrupt.Token));

        if (interrupt.IsCancellationRequested)
        {
            Assert.IsType<OperationCanceledException>(thrown);
            Assert.InRange(feed.Packets, 0, 6_000);
        }
        else
        {
            Assert.Null(thrown);
            Assert.Equal(6_000, feed.Packets);
        }

        Assert.All(analyzers, analyzer => Assert.Equal(feed.Packets, analyzer.Packets));
    }

    [Fact]
    public void A_compressed_capture_is_not_read_in_segments()
    {
        using var directory = new TempDirectory();
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        foreach (byte[] frame in Frames(3_000))
        {
            bytes.EnhancedPacket(0, 0, frame);
        }

        string path = directory.File("mixed.pcapng.gz");
        using (FileStream file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.NoCompression))
        {
            gzip.Write(bytes.ToArray());
        }

        Assert.True(new FileInfo(path).Length > 2 * Segment);
        Assert.Null(CaptureSegments.TryOpen(path, Segment, Threads));
        (CaptureFeed many, _) = Feed(path, workers: 2);
        Assert.Equal(3_000, many.Packets);
    }

    // Records of 116 bytes from offset 24, segments of 141 records and 4 bytes: segment 1 starts 4 bytes into a
    // header. Big-endian, with frames that start 00 00 0f ff, the fields from there on read as a header (fraction as
    // seconds, captured length as fraction, original length as captured length, the frame's first 4 bytes as original
    // length), and so on record after record: a clean reading, shifted.
    private const int ShiftablePackets = 1_000;
    private const int ShiftedSegment = (141 * 116) + 4;

    private static byte[] ShiftableCapture(uint firstSeconds)
    {
        var generator = new MixedFrameGenerator(seed: 5);
        var bytes = new CaptureBytes(true).PcapHeader(0xa1b2c3d4, 0, 1);
        for (int i = 0; i < ShiftablePackets; i++)
        {
            byte[] frame = new byte[100];
            byte[] generated = generator.Next();
            generated.AsSpan(0, Math.Min(100, generated.Length)).CopyTo(frame);
            frame[0] = 0x00;
            frame[1] = 0x00;
            frame[2] = 0x0f;
            frame[3] = 0xff;
            bytes.PcapRecord(firstSeconds + (uint)(i / 100), (uint)(i % 100) * 9_973, frame);
        }

        return bytes.ToArray();
    }

    // Captures of 100-byte zero frames, one of them patched. As a little-endian pcapng: section header (28 bytes),
    // interface (20), then Enhanced Packet Blocks of 132 bytes each, the frame at byte 28 of its block.
    private const int ZeroFramePackets = 300;

    private const uint ZeroFrameSeconds = 1_700_000_000;

    // A block of an unknown type, 16 bytes, whose trailer repeats its length.
    private static byte[] LookalikeBlock() => new CaptureBytes(false).U32(0xBAD).U32(16).U32(0).U32(16).ToArray();

    // The capture with patch written into the frame of packet patched at byte at, and a segment size that makes a
    // segment (the last one when lastSegment) start exactly there.
    private static byte[] ZeroFramesPcapng(int patched, int at, byte[] patch, out int segment, bool lastSegment = false)
    {
        var bytes = new CaptureBytes(false).SectionHeader().Interface(1, 0);
        int packet = 0;
        foreach (byte[] frame in ZeroFrames(patched, at, patch))
        {
            bytes.EnhancedPacket(0, (ulong)packet++, frame);
        }

        byte[] capture = bytes.ToArray();
        segment = SegmentStartingAt((132 * patched) + 28 + at, capture.Length - 48, lastSegment);
        return capture;
    }

    // The same as a little-endian pcap, stamped ZeroFrameSeconds: records of 116 bytes from byte 24, the frame at byte
    // 16 of its record.
    private static byte[] ZeroFramesPcap(int patched, int at, byte[] patch, out int segment)
    {
        var bytes = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 262_144, 1);
        foreach (byte[] frame in ZeroFrames(patched, at, patch))
        {
            bytes.PcapRecord(ZeroFrameSeconds, 0, frame);
        }

        byte[] capture = bytes.ToArray();
        segment = SegmentStartingAt((116 * patched) + 16 + at, capture.Length - 24, lastSegment: false);
        return capture;
    }

    private static IEnumerable<byte[]> ZeroFrames(int patched, int at, byte[] patch)
    {
        for (int i = 0; i < ZeroFramePackets; i++)
        {
            byte[] frame = new byte[100];
            if (i == patched)
            {
                patch.CopyTo(frame, at);
            }

            yield return frame;
        }
    }

    // A segment size that makes a segment start target bytes after the first record, of records that run on for
    // recordBytes: segments start at the first record, every segment bytes, a multiple of 4, and there are at least
    // two; with lastSegment the one starting there is the last.
    private static int SegmentStartingAt(int target, int recordBytes, bool lastSegment) =>
        Enumerable.Range(2, 64).Select(k => target / k)
            .First(s => target % s == 0 && s % 4 == 0 && 2 * s <= recordBytes && (!lastSegment || recordBytes - target <= s));

    private static void AssertSegmentsCountAsOneThread(string path, int packets)
    {
        Assert.True(new FileInfo(path).Length > 20 * Segment, "the capture spans many segments");
        AssertSegmentedCountsAsOneThread(path, packets, Segment, Threads);
    }

    // Read in segments of segmentBytes by readers threads: what one thread reading from the start counts.
    private static void AssertSegmentedCountsAsOneThread(string path, int packets, int segmentBytes, int readers)
    {
        (CaptureFeed one, CaptureAnalyzer[] sequential) = Feed(path, workers: 0);
        CaptureAnalyzer[] segmented = Analyzers();

        long? counted = SegmentedAnalysis.TryRun(path, segmented, readers, null, CancellationToken.None, segmentBytes);

        Assert.Equal(packets, counted);
        Assert.Equal(packets, one.Packets);
        Assert.Empty(one.Problems);
        for (int i = 0; i < sequential.Length; i++)
        {
            ParallelAnalysisTests.AssertSameCounts(sequential[i].Counters, segmented[i].Counters);
        }
    }

    // Through the feed on two threads, as analyze runs: what one thread reading from the start counts.
    private static void AssertFeedCountsAsOneThread(string path, int packets)
    {
        (CaptureFeed one, CaptureAnalyzer[] sequential) = Feed(path, workers: 0);
        (CaptureFeed many, CaptureAnalyzer[] parallel) = Feed(path, workers: 2);
        Assert.Equal(packets, one.Packets);
        Assert.Equal(packets, many.Packets);
        Assert.Empty(many.Problems);
        for (int i = 0; i < sequential.Length; i++)
        {
            ParallelAnalysisTests.AssertSameCounts(sequential[i].Counters, parallel[i].Counters);
        }
    }

    private static CaptureAnalyzer[] Analyzers()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(4);
        return
        [
            new("virtio-spec", configuration, 4),
            new("linux-tun", configuration.WithProfile(HashProfile.LinuxTun), 4),
        ];
    }

    private static (CaptureFeed Feed, CaptureAnalyzer[] Analyzers) Feed(string path, int workers)
    {
        CaptureAnalyzer[] analyzers = Analyzers();
        var feed = new CaptureFeed(analyzers, csv: null, workers, segmentBytes: Segment);
        feed.Read(CaptureSource.Named(path), progress: null, CancellationToken.None);
        return (feed, analyzers);
    }

    private static List<byte[]> Frames(int count)
    {
        var generator = new MixedFrameGenerator(seed: 5) { Damaged = true };
        return [.. Enumerable.Range(0, count).Select(_ => generator.Next())];
    }

    private static string Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
