using System.Diagnostics;

namespace VnetHash.Cli.Benchmarks;

/// <summary>Times a case with a Stopwatch: doubles the count until a run is long enough, then times one longer run.</summary>
public static class BenchmarkRunner
{
    public static double NanosecondsPerOperation(BenchmarkCase benchmark, TimeSpan budget, CancellationToken token)
    {
        if (benchmark.SelfTimed is { } measure)
        {
            token.ThrowIfCancellationRequested();
            return measure();
        }

        // Warm up past tiered JIT's call-counting delay so the timed run sees optimised code.
        long warmUpEnd = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * (budget.TotalSeconds / 2));
        for (long w = 64; Stopwatch.GetTimestamp() < warmUpEnd; w = Math.Min(w * 2, 1 << 20))
        {
            token.ThrowIfCancellationRequested();
            benchmark.Run(w);
        }

        long n = 1;
        long elapsed;
        TimeSpan calibration = budget / 10;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            benchmark.Run(n);
            elapsed = Stopwatch.GetTimestamp() - start;
            if (Stopwatch.GetElapsedTime(0, elapsed) >= calibration || n >= 1L << 40)
            {
                break;
            }

            n *= 2;
        }

        double perOperation = (double)elapsed / n;
        long measured = Math.Max(n, (long)(budget.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond) / Math.Max(perOperation, 1e-3)));
        long begin = Stopwatch.GetTimestamp();
        GC.KeepAlive(benchmark.Run(measured));
        long total = Stopwatch.GetTimestamp() - begin;
        return total * (1e9 / Stopwatch.Frequency) / measured;
    }
}
