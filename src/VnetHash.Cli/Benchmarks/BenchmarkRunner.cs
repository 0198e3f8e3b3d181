using System.Diagnostics;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// Times a case in the thread's CPU time (so waiting for a core on a busy machine does not count): runs of a growing
/// count until one is long enough, repeated until the time per operation has stopped improving or the wall-clock
/// budget is spent, each on the next CPU of a <see cref="CpuRotation"/>, and reports the best run.
/// </summary>
public static class BenchmarkRunner
{
    // Runs without a new best before the case counts as steady.
    private const int SteadyRuns = 5;

    // Within this fraction of the best, a run is no improvement.
    private const double Tolerance = 0.03;

    // However slowly the case settles, it stops after this many budgets.
    private const int MaxBudgets = 20;

    /// <summary>Brings every case's code to its optimised version before any is timed (see <see cref="TieredWarmUp"/>).</summary>
    public static void WarmUp(IReadOnlyList<BenchmarkCase> cases, CancellationToken token)
    {
        var warmUp = TieredWarmUp.Start();
        do
        {
            foreach (BenchmarkCase benchmark in cases.Where(c => c.SelfTimed is null))
            {
                token.ThrowIfCancellationRequested();
                benchmark.Run(64);
            }
        }
        while (!warmUp.IsDone());
    }

    internal static double NanosecondsPerOperation(BenchmarkCase benchmark, TimeSpan budget, CpuRotation rotation, CancellationToken token)
    {
        if (benchmark.SelfTimed is { } measure)
        {
            token.ThrowIfCancellationRequested();
            rotation.Step();
            return measure();
        }

        // Optimised code may still arrive while the case runs (see WarmUp), so the case runs until its best time per
        // operation holds for several runs, lengthening a run whenever the code got faster and runs got too short.
        TimeSpan runLength = budget / 10;
        long start = Stopwatch.GetTimestamp();
        long n = 1;
        double best = double.MaxValue;
        int sinceBest = 0;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            rotation.Step();
            long begin = ThreadCpuTime.Nanoseconds();
            benchmark.Run(n);
            long elapsed = ThreadCpuTime.Nanoseconds() - begin;
            if (elapsed < runLength.TotalNanoseconds / 2 && n < 1L << 40)
            {
                n *= 2;
                continue;
            }

            double perOperation = (double)elapsed / n;
            sinceBest = perOperation < best * (1 - Tolerance) ? 0 : sinceBest + 1;
            best = Math.Min(best, perOperation);
            TimeSpan total = Stopwatch.GetElapsedTime(start);
            if ((sinceBest >= SteadyRuns && total >= budget) || total >= budget * MaxBudgets)
            {
                return best;
            }
        }
    }
}
