using System.Numerics;
using VnetHash.Cli.Analysis;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>The fixed-memory distinct-flow counter: exact up to its limit, HyperLogLog above.</summary>
public sealed class FlowCounterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(FlowCounter.ExactLimit)]
    public void Small_sets_count_exactly(int flows)
    {
        var counter = new FlowCounter();
        for (int i = 0; i < flows; i++)
        {
            ulong hash = Mix((ulong)i);
            counter.Add(hash);
            counter.Add(hash); // duplicates do not count
        }

        Assert.Equal(flows, counter.Estimate());
    }

    [Fact]
    public void The_exact_set_starts_small_and_doubles_at_half_load_up_to_twice_the_limit()
    {
        var counter = new FlowCounter();
        Assert.Equal(64, counter.Slots);
        for (int flows = 1; flows <= FlowCounter.ExactLimit; flows++)
        {
            counter.Add(Mix((ulong)flows));

            // Never more than half full, and no larger than that asks.
            Assert.Equal(Math.Max(64, (int)BitOperations.RoundUpToPowerOf2((uint)(2 * flows))), counter.Slots);
            Assert.Equal(flows, counter.Estimate());
        }

        // Every flow is still found after the moves: adding them again adds none.
        for (int flows = 1; flows <= FlowCounter.ExactLimit; flows++)
        {
            counter.Add(Mix((ulong)flows));
        }

        Assert.Equal(FlowCounter.ExactLimit, counter.Estimate());
        Assert.Equal(2 * FlowCounter.ExactLimit, counter.Slots);

        // One more: the registers answer from now on, and the set does not grow.
        counter.Add(Mix(0));
        Assert.Equal(2 * FlowCounter.ExactLimit, counter.Slots);
        Assert.InRange(counter.Estimate(), 950, 1100);
    }

    [Fact]
    public void A_flow_whose_hash_is_zero_counts_though_zero_marks_an_empty_slot()
    {
        var counter = new FlowCounter();
        counter.Add(0);
        counter.Add(0);
        Assert.Equal(1, counter.Estimate());

        counter.Add(Mix(1));
        Assert.Equal(2, counter.Estimate());
    }

    [Fact]
    public void Large_sets_are_within_five_percent()
    {
        // Standard error is 1.04 / sqrt(4096), about 1.6 %; 5 % is over three standard errors.
        var counter = new FlowCounter();
        for (int i = 0; i < 200_000; i++)
        {
            counter.Add(Mix((ulong)i));
        }

        Assert.InRange(counter.Estimate(), 190_000, 210_000);
    }

    [Fact]
    public void Merging_gives_the_union()
    {
        var a = new FlowCounter();
        var b = new FlowCounter();
        for (int i = 0; i < 60; i++)
        {
            a.Add(Mix((ulong)i));
            b.Add(Mix((ulong)(i + 30)));
        }

        a.Merge(b);

        Assert.Equal(90, a.Estimate());
    }

    [Theory]
    [InlineData(300)]
    [InlineData(FlowCounter.ExactLimit)]
    [InlineData(FlowCounter.ExactLimit + 1)]
    [InlineData(5_000)]
    [InlineData(100_000)]
    public void The_flows_of_all_queues_are_what_one_counter_of_every_packet_counts(int flows)
    {
        // The counters keep one flow counter per queue and take the union when asked: exact where one counter of every
        // packet would be exact, the same estimate above. Every tenth flow also lands on a second queue (a fragment
        // hashed on its addresses alone), and packets are counted in two shares merged afterwards, as readers do.
        const int queues = 4;
        var first = new AnalysisCounters(queues);
        var second = new AnalysisCounters(queues);
        var direct = new FlowCounter();
        for (int i = 0; i < flows; i++)
        {
            ulong flow = Mix((ulong)i);
            AnalysisCounters share = i % 3 == 0 ? second : first;
            share.Add((int)(flow % queues), 100, flow, 0, Hashing.HashReport.TcpV4, PacketNote.None, Hashing.TunnelTypes.None, Hashing.TunnelTypes.None);
            if (i % 10 == 0)
            {
                first.Add((int)((flow + 1) % queues), 100, flow, 0, Hashing.HashReport.IPv4, PacketNote.Fragment, Hashing.TunnelTypes.None, Hashing.TunnelTypes.None);
            }

            direct.Add(flow);
        }

        first.Merge(second);

        Assert.Equal(direct.Estimate(), first.Flows.Estimate());
        if (flows <= FlowCounter.ExactLimit)
        {
            Assert.Equal(flows, first.Flows.Estimate());
        }
    }

    [Theory]
    [InlineData(600)]
    [InlineData(20_000)]
    public void Each_queue_counts_the_flows_it_saw_though_packets_of_known_connections_add_none(int connections)
    {
        // A packet whose connection was seen in its direction on its queue adds no flow (AnalysisCounters.Add). Each
        // queue must still count what a counter of every one of its packets counts: exactly below the limit, the same
        // estimate above it, where the direction symmetry keeps a sample of the connections (20,000 > its 8,192). Some
        // packets of a direction land on another queue than its first (a tunnel's inner connection under different
        // outer headers), and some have no connection, only a flow (fragments). The first half is counted by two
        // readers, merged, and the merged counters count on: what the merge brought is known to them.
        const int queues = 4;
        var counters = new AnalysisCounters(queues);
        var other = new AnalysisCounters(queues);
        FlowCounter[] direct = [.. Enumerable.Range(0, queues).Select(_ => new FlowCounter())];
        var random = new Random(connections);
        int packets = 10 * connections;
        for (int i = 0; i < packets; i++)
        {
            if (i == packets / 2)
            {
                counters.Merge(other);
            }

            ulong connection = (Mix((ulong)random.Next(connections)) & ~1UL) | (uint)random.Next(2);
            ulong flow = FlowKey.Directed(connection);
            int queue = random.Next(8) == 0 ? random.Next(queues) : (int)(flow % queues);
            if (random.Next(16) == 0)
            {
                connection = 0;
            }

            AnalysisCounters reader = i < packets / 2 && i % 2 == 1 ? other : counters;
            reader.Add(queue, 100, flow, connection, Hashing.HashReport.TcpV4, PacketNote.None, Hashing.TunnelTypes.None, Hashing.TunnelTypes.None);
            direct[queue].Add(flow);
        }

        Assert.Equal(connections > DirectionSymmetry.ExactLimit, counters.Symmetry.SampleBits > 0);
        for (int q = 0; q < queues; q++)
        {
            Assert.Equal(direct[q].Estimate(), counters.Queues[q].Flows.Estimate());
        }
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9e3779b97f4a7c15UL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
