using VnetHash.Rss;

namespace VnetHash.Tests.Rss;

public class EthtoolTableTests
{
    [Fact]
    public void Equal_deals_entries_round_robin_from_start()
    {
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1], EthtoolTable.Equal(8, 3));
        Assert.Equal([2, 3, 2, 3], EthtoolTable.Equal(4, 2, start: 2));
    }

    /// <summary>ethtool's fill: queue j takes the entries below length·(W0+…+Wj)/ΣW that no earlier queue took.</summary>
    [Fact]
    public void Weights_give_contiguous_runs_as_ethtool_fills_them()
    {
        ushort[] table = EthtoolTable.Weighted(128, [1, 2]);
        Assert.Equal(42, table.Count(q => q == 0));
        Assert.All(table.Take(42), q => Assert.Equal(0, q));
        Assert.All(table.Skip(42), q => Assert.Equal(1, q));
        Assert.All(EthtoolTable.Weighted(128, [0, 1]), q => Assert.Equal(1, q));
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], EthtoolTable.Weighted(8, [1, 1, 1, 1]));
        Assert.Equal([0, 1, 1, 2, 2, 2, 3, 3], EthtoolTable.Weighted(8, [1, 2, 3, 2]));
    }

    [Theory]
    [InlineData("equal 4", new ushort[] { 0, 1, 2, 3, 0, 1, 2, 3 })]
    [InlineData("start 1 equal 2", new ushort[] { 1, 2, 1, 2, 1, 2, 1, 2 })]
    [InlineData("weight 1 1 2", new ushort[] { 0, 0, 1, 1, 2, 2, 2, 2 })]
    [InlineData("default", new ushort[] { 0, 1, 2, 0, 1, 2, 0, 1 })]
    public void Parse_reads_ethtool_words(string words, ushort[] expected) => Assert.Equal(expected, EthtoolTable.Parse(words, 8, 3));

    [Theory]
    [InlineData("weight 0 0", "non-zero")]
    [InlineData("weight 5 5", "more than the 8")]
    [InlineData("equal", "expected a number")]
    [InlineData("equal 0", "at least 1")]
    [InlineData("equal 2 weight 1 1", "exactly one")]
    [InlineData("weight", "no weights")]
    [InlineData("spread 4", "'spread' is not part")]
    public void Parse_refuses_what_ethtool_refuses(string words, string message)
    {
        var e = Assert.Throws<FormatException>(() => EthtoolTable.Parse(words, 8, 3));
        Assert.Contains(message, e.Message);
    }
}

public class IndirectionTableOptimizerTests
{
    /// <summary>About 2,000 flows of similar size over a 128-entry table and 8 queues: within 5% of the mean.</summary>
    [Theory]
    [InlineData(1, 2000, 8)]
    [InlineData(2, 4000, 16)]
    [InlineData(3, 2500, 4)]
    public void Flows_of_similar_size_balance_within_five_percent(int seed, int flows, int queues)
    {
        var random = new Random(seed);
        var loads = new long[128];
        for (int f = 0; f < flows; f++)
        {
            loads[random.Next(128)] += 90 + random.Next(21);
        }

        ushort[] current = EthtoolTable.Equal(128, queues);
        ushort[] suggested = IndirectionTableOptimizer.Balance(loads, queues, current);
        double after = IndirectionTableOptimizer.MaxOverMean(IndirectionTableOptimizer.QueueLoads(suggested, loads, queues));
        Assert.InRange(after, 1.0, 1.05);
        Assert.True(after <= IndirectionTableOptimizer.MaxOverMean(IndirectionTableOptimizer.QueueLoads(current, loads, queues)));
    }

    [Fact]
    public void Never_worse_than_the_table_given()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            int length = 1 << random.Next(0, 8);
            int queues = 1 + random.Next(9);
            long[] loads = [.. Enumerable.Range(0, length).Select(_ => random.Next(4) == 0 ? 0L : (long)Math.Pow(10, random.NextDouble() * 5))];
            ushort[] current = [.. Enumerable.Range(0, length).Select(_ => (ushort)random.Next(queues + 2))];
            ushort[] suggested = IndirectionTableOptimizer.Balance(loads, queues, current);
            Assert.Equal(length, suggested.Length);
            Assert.All(suggested, q => Assert.InRange(q, 0, queues + 1));
            Assert.True(IndirectionTableOptimizer.QueueLoads(suggested, loads, queues).Max() <= IndirectionTableOptimizer.QueueLoads(current, loads, queues).Max());
        }
    }

    [Fact]
    public void An_optimal_table_is_kept()
    {
        long[] loads = [10, 10, 10, 10];
        ushort[] current = [0, 1, 0, 1];
        Assert.Equal(current, IndirectionTableOptimizer.Balance(loads, 2, current));
    }

    [Fact]
    public void Unloaded_entries_still_spread_over_every_queue()
    {
        var loads = new long[64];
        loads[3] = 1000;
        ushort[] suggested = IndirectionTableOptimizer.Balance(loads, 4, new ushort[64]);
        Assert.All(Enumerable.Range(0, 4), q => Assert.Equal(16, suggested.Count(e => e == q)));
    }

    /// <summary>The weights are the best contiguous split: checked against every split of a small table.</summary>
    [Fact]
    public void Closest_weights_are_the_best_contiguous_split()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            int length = 8 << random.Next(0, 3);
            int queues = 2 + random.Next(3);
            long[] loads = [.. Enumerable.Range(0, length).Select(_ => (long)random.Next(100))];
            int[] weights = IndirectionTableOptimizer.ClosestWeights(loads, queues);
            Assert.Equal(queues, weights.Length);
            ushort[] table = EthtoolTable.Weighted(length, weights);
            long max = IndirectionTableOptimizer.QueueLoads(table, loads, queues).Max();
            Assert.Equal(BestContiguousMax(loads, queues), max);
        }
    }

    private static long BestContiguousMax(long[] loads, int queues)
    {
        // best[k][i]: the least maximum splitting the first i entries into k runs (runs may be empty).
        int n = loads.Length;
        var best = new long[queues + 1, n + 1];
        for (int i = 1; i <= n; i++)
        {
            best[0, i] = long.MaxValue;
        }

        for (int k = 1; k <= queues; k++)
        {
            for (int i = 0; i <= n; i++)
            {
                long run = 0;
                best[k, i] = best[k - 1, i];
                for (int j = i; j >= 1; j--)
                {
                    run += loads[j - 1];
                    if (best[k - 1, j - 1] != long.MaxValue)
                    {
                        best[k, i] = Math.Min(best[k, i], Math.Max(best[k - 1, j - 1], run));
                    }
                }
            }
        }

        return best[queues, n];
    }
}
