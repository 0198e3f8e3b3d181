using VnetHash.Cli.Benchmarks;

namespace VnetHash.Benchmarks;

/// <summary>
/// Times several variants of one operation in thread CPU time (<see cref="ThreadCpuTime"/>), round by round in turn,
/// so a change in the machine's speed (it is shared, and its host may slow it for seconds at a time) hits every
/// variant alike and ratios between variants of one run stay meaningful.
/// </summary>
internal static class CpuTimeHarness
{
    /// <summary>One variant: <see cref="Run"/> does <see cref="Operations"/> operations and returns a value that depends on all of them.</summary>
    public interface IPass
    {
        int Operations { get; }

        uint Run();
    }

    /// <summary>Best and median nanoseconds per operation of each pass, in order.</summary>
    public static (double Best, double Median)[] Measure(IReadOnlyList<IPass> passes, int rounds, long roundNanoseconds, long warmupNanoseconds)
    {
        uint sink = 0;
        int[] perRound = new int[passes.Count];
        for (int v = 0; v < passes.Count; v++)
        {
            // Warm up to optimised code, then size each round from the warm rate.
            long start = ThreadCpuTime.Nanoseconds();
            long runs = 0;
            while (ThreadCpuTime.Nanoseconds() - start < warmupNanoseconds)
            {
                sink ^= passes[v].Run();
                runs++;
            }

            long warmStart = ThreadCpuTime.Nanoseconds();
            long warmRuns = (runs / 8) + 1;
            for (long i = 0; i < warmRuns; i++)
            {
                sink ^= passes[v].Run();
            }

            double perRun = Math.Max(1, ThreadCpuTime.Nanoseconds() - warmStart) / (double)warmRuns;
            perRound[v] = Math.Max(1, (int)(roundNanoseconds / perRun));
        }

        double[][] samples = [.. passes.Select(_ => new double[rounds])];
        for (int round = 0; round < rounds; round++)
        {
            for (int v = 0; v < passes.Count; v++)
            {
                long start = ThreadCpuTime.Nanoseconds();
                for (int i = 0; i < perRound[v]; i++)
                {
                    sink ^= passes[v].Run();
                }

                samples[v][round] = (double)(ThreadCpuTime.Nanoseconds() - start) / ((long)perRound[v] * passes[v].Operations);
            }
        }

        GC.KeepAlive(sink);
        return [.. samples.Select(s =>
        {
            Array.Sort(s);
            return (s[0], s[s.Length / 2]);
        })];
    }
}
