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

    private static ulong Mix(ulong x)
    {
        x += 0x9e3779b97f4a7c15UL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
