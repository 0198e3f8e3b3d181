using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>The balance figures, and counters that add up the same however the packets are split between them.</summary>
public sealed class BalanceTests
{
    [Fact]
    public void An_even_spread_is_max_over_mean_1_cv_0_and_share_one_over_queues()
    {
        Balance balance = Balance.Of([5, 5, 5, 5]);

        Assert.Equal(new Balance(20, 1, 0, 0, 0.25), balance);
    }

    [Fact]
    public void An_uneven_spread_names_the_busiest_queue()
    {
        // mean 10; deviations -4, +6, -2, 0: variance 14, CV sqrt(14) / 10.
        Balance balance = Balance.Of([6, 16, 8, 10]);

        Assert.Equal(40, balance.Total);
        Assert.Equal(1.6, balance.MaxOverMean, 12);
        Assert.Equal(Math.Sqrt(14) / 10, balance.CoefficientOfVariation, 12);
        Assert.Equal(1, balance.BusiestQueue);
        Assert.Equal(0.4, balance.BusiestShare, 12);
    }

    [Fact]
    public void Nothing_counted_is_all_zeros()
    {
        Assert.Equal(new Balance(0, 0, 0, 0, 0), Balance.Of([0, 0, 0]));
    }

    [Fact]
    public void Counters_filled_in_parts_and_merged_equal_counters_filled_in_one_pass()
    {
        // What a parallel reader will rely on: split the packets any way, merge, get the same counts.
        var analysis = new PacketAnalysis(RssConfiguration.RoundRobin(4), 4);
        var whole = new AnalysisCounters(4);
        var parts = new[] { new AnalysisCounters(4), new AnalysisCounters(4), new AnalysisCounters(4) };
        var generator = new MixedFrameGenerator(5) { KernelDivergences = true };
        for (int i = 0; i < 3000; i++)
        {
            byte[] frame = generator.Next();
            PacketOutcome outcome = analysis.Analyze(frame, LinkType.Ethernet, frame.Length);
            whole.Add(in outcome);
            parts[(i * 7) % 3].Add(in outcome);
        }

        var merged = new AnalysisCounters(4);
        foreach (AnalysisCounters part in parts)
        {
            merged.Merge(part);
        }

        Assert.Equal(whole.Packets, merged.Packets);
        Assert.Equal(whole.Bytes, merged.Bytes);
        Assert.Equal(whole.Flows.Estimate(), merged.Flows.Estimate());
        Assert.Equal(whole.ReportCounts.ToArray(), merged.ReportCounts.ToArray());
        foreach (PacketNote note in Enum.GetValues<PacketNote>())
        {
            Assert.Equal(whole.CountOf(note), merged.CountOf(note));
        }

        for (int q = 0; q < 4; q++)
        {
            Assert.Equal(whole.Queues[q].Packets, merged.Queues[q].Packets);
            Assert.Equal(whole.Queues[q].Bytes, merged.Queues[q].Bytes);
            Assert.Equal(whole.Queues[q].Flows.Estimate(), merged.Queues[q].Flows.Estimate());
        }
    }
}
