using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>
/// Analysing on several cores counts exactly what analysing on one does: the same packets, bytes, reports, notes and
/// flows per queue for every analyzer, also when the capture ends in damage (what was read before it is counted).
/// </summary>
public sealed class ParallelAnalysisTests
{
    // More packets than several batches hold, of every kind the generator makes (tags, non-IP, damaged frames).
    private const int Packets = 9000;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Workers_count_what_one_thread_counts(int workers)
    {
        using var directory = new TempDirectory();
        string path = Write(directory.File("mixed.pcapng"), Packets, cutLastBlock: false);

        (CaptureFeed one, CaptureAnalyzer[] sequential) = Feed(path, workers: 0);
        (CaptureFeed many, CaptureAnalyzer[] parallel) = Feed(path, workers);

        Assert.Equal(Packets, one.Packets);
        Assert.Equal(one.Packets, many.Packets);
        Assert.Empty(many.Problems);
        for (int i = 0; i < sequential.Length; i++)
        {
            AssertSameCounts(sequential[i].Counters, parallel[i].Counters);
        }
    }

    [Fact]
    public void A_capture_cut_short_counts_the_packets_before_the_cut_on_every_worker()
    {
        using var directory = new TempDirectory();
        string path = Write(directory.File("cut.pcapng"), Packets, cutLastBlock: true);

        (CaptureFeed one, CaptureAnalyzer[] sequential) = Feed(path, workers: 0);
        (CaptureFeed many, CaptureAnalyzer[] parallel) = Feed(path, workers: 2);

        Assert.Equal(Packets - 1, many.Packets);
        Assert.Equal(Packets - 1, parallel[0].Counters.Packets);
        Assert.True(Assert.Single(many.Problems).CutShort);
        AssertSameCounts(sequential[0].Counters, parallel[0].Counters);
    }

    private static (CaptureFeed Feed, CaptureAnalyzer[] Analyzers) Feed(string path, int workers)
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(4);
        CaptureAnalyzer[] analyzers =
        [
            new("virtio-spec", configuration, 4),
            new("linux-tun", configuration.WithProfile(HashProfile.LinuxTun), 4),
        ];
        var feed = new CaptureFeed(analyzers, csv: null, workers);
        feed.Read(CaptureSource.Named(path), progress: null, CancellationToken.None);
        return (feed, analyzers);
    }

    private static string Write(string path, int packets, bool cutLastBlock)
    {
        var generator = new MixedFrameGenerator(seed: 11) { Damaged = true };
        using (FileStream stream = File.Create(path))
        using (var writer = new PcapngWriter(stream, LinkType.Ethernet, "tests"))
        {
            for (int i = 0; i < packets; i++)
            {
                writer.WritePacket(generator.Next(), i * 1000L);
            }
        }

        if (cutLastBlock)
        {
            using FileStream stream = File.OpenWrite(path);
            stream.SetLength(stream.Length - 3);
        }

        return path;
    }

    internal static void AssertSameCounts(AnalysisCounters expected, AnalysisCounters actual)
    {
        Assert.Equal(expected.Packets, actual.Packets);
        Assert.Equal(expected.Bytes, actual.Bytes);
        Assert.Equal(expected.Flows.Estimate(), actual.Flows.Estimate());
        Assert.Equal(expected.ReportCounts.ToArray(), actual.ReportCounts.ToArray());
        Assert.All(Enum.GetValues<PacketNote>(), note => Assert.Equal(expected.CountOf(note), actual.CountOf(note)));
        for (int q = 0; q < expected.Queues.Count; q++)
        {
            Assert.Equal(expected.Queues[q].Packets, actual.Queues[q].Packets);
            Assert.Equal(expected.Queues[q].Bytes, actual.Queues[q].Bytes);
            Assert.Equal(expected.Queues[q].Flows.Estimate(), actual.Queues[q].Flows.Estimate());
        }
    }
}
