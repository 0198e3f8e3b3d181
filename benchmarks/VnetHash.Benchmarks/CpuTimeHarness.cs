using VnetHash.Cli.Benchmarks;

namespace VnetHash.Benchmarks;

/// <summary>
/// Times several variants of one operation in thread CPU time (<see cref="ThreadCpuTime"/>), round by round in turn,
/// so a change in the machine's speed (it is shared, and its host may slow it for seconds at a time) hits every
/// variant alike and ratios between variants of one run stay meaningful. Each timed round runs on the next CPU the
/// process may use (<see cref="CpuRotation"/>): the host can slow one virtual CPU for a whole process while another
/// runs at full speed, and the best round of each variant then comes from the CPU that was not slowed. The median
/// mixes the CPUs' rounds (with two CPUs and an odd count, the first CPU has one round more).
/// </summary>
internal static class CpuTimeHarness
{
    /// <summary>One variant: <see cref="Run"/> does <see cref="Operations"/> operations and returns a value that depends on all of them.</summary>
    public interface IPass
    {
        int Operations { get; }

        uint Run();
    }

    /// <summary>
    /// Best and median nanoseconds per operation of each pass, in order. Rounds are run and dropped until the code
    /// has settled (<see cref="TieredWarmUp"/>); the timed rounds then run from the same loop.
    /// </summary>
    public static (double Best, double Median)[] Measure(IReadOnlyList<IPass> passes, int rounds, long roundNanoseconds) =>
        CpuRotation.Run(rotation => Measure(passes, rounds, roundNanoseconds, rotation));

    private static (double Best, double Median)[] Measure(IReadOnlyList<IPass> passes, int rounds, long roundNanoseconds, CpuRotation rotation)
    {
        uint sink = 0;
        int[] perRound = new int[passes.Count];
        Array.Fill(perRound, 1);
        double[][] samples = [.. passes.Select(_ => new double[rounds])];
        var warmUp = TieredWarmUp.Start();
        bool warm = false;
        for (int round = 0; round < rounds;)
        {
            if (warm)
            {
                rotation.Step();
            }

            for (int v = 0; v < passes.Count; v++)
            {
                long start = ThreadCpuTime.Nanoseconds();
                for (int i = 0; i < perRound[v]; i++)
                {
                    sink ^= passes[v].Run();
                }

                long elapsed = ThreadCpuTime.Nanoseconds() - start;
                if (warm)
                {
                    samples[v][round] = (double)elapsed / ((long)perRound[v] * passes[v].Operations);
                }
                else
                {
                    // While warming up, each round of a pass is sized to last about roundNanoseconds at its latest speed.
                    perRound[v] = (int)Math.Clamp(roundNanoseconds * perRound[v] / Math.Max(1, elapsed), 1, int.MaxValue);
                }
            }

            if (warm)
            {
                round++;
            }
            else
            {
                warm = warmUp.IsDone();
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
