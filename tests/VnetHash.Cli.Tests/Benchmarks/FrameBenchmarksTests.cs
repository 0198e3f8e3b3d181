using VnetHash.Cli.Benchmarks;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Cli.Tests.Benchmarks;

/// <summary>The tool's frame cases time the per-packet path over every flow's frame, no fewer and no other bytes.</summary>
public sealed class FrameBenchmarksTests
{
    [Theory]
    [InlineData("frame-ipv4-tcp", false, 6)]
    [InlineData("frame-ipv6-tcp", true, 6)]
    [InlineData("frame-ipv4-udp", false, 17)]
    [InlineData("frame-ipv6-udp", true, 17)]
    public void A_run_steers_each_flow_once_per_round(string name, bool ipv6, int protocol)
    {
        BenchmarkCase benchmark = new FrameBenchmarks().Cases().Single(c => c.Name == name);
        var steering = new RssSteering(RssConfiguration.RoundRobin(FrameBenchmarks.QueueCount));
        var header = new byte[VirtioNetHeader.HashSize];
        ulong sum = 0;
        var queuesSeen = new HashSet<int>();
        var hashesSeen = new HashSet<uint>();
        for (int flow = 0; flow < FrameBenchmarks.Flows; flow++)
        {
            RssDecision decision = steering.Decide(FrameBenchmarks.Frame(ipv6, protocol, flow), FrameKind.Ethernet, FrameBenchmarks.QueueCount, header);
            Assert.True(decision.Hash.HasHash);
            sum += decision.Hash.Value + (ulong)decision.Queue;
            queuesSeen.Add(decision.Queue);
            hashesSeen.Add(decision.Hash.Value);
        }

        // Every flow has its own hash and the flows spread over every queue, so a run that skipped a frame, read one at
        // the wrong offset or left the queue out would sum to another total.
        Assert.Equal(FrameBenchmarks.Flows, hashesSeen.Count);
        Assert.Equal(FrameBenchmarks.QueueCount, queuesSeen.Count);
        Assert.Equal(sum, benchmark.Run(FrameBenchmarks.Flows));
        Assert.Equal(3 * sum, benchmark.Run(3 * FrameBenchmarks.Flows));
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 6)]
    [InlineData(false, 17)]
    [InlineData(true, 17)]
    public void Each_decision_writes_the_header_in_front_of_its_own_frame(bool ipv6, int protocol)
    {
        var steering = new RssSteering(RssConfiguration.RoundRobin(FrameBenchmarks.QueueCount));
        byte[][] frames = [.. Enumerable.Range(0, FrameBenchmarks.Flows).Select(flow => FrameBenchmarks.Frame(ipv6, protocol, flow))];
        RssDecision[] decisions = [.. frames.Select(frame => steering.Decide(frame, FrameKind.Ethernet, FrameBenchmarks.QueueCount))];
        var batch = new ReadBatch(frames);

        ulong sum = FrameBenchmarks.DecideAll(steering, batch);

        for (int i = 0; i < batch.Count; i++)
        {
            Assert.Equal(frames[i], batch.Frame(i).ToArray());
            Assert.Equal(decisions[i].Hash, VirtioNetHeader.ReadHashReport(batch.Header(i)));
        }

        Assert.Equal(decisions.Aggregate(0UL, (total, decision) => total + decision.Hash.Value + (ulong)decision.Queue), sum);
    }
}
