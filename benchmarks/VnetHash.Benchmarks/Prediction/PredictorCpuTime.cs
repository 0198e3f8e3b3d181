using VnetHash.Cli.Benchmarks;

namespace VnetHash.Benchmarks.Prediction;

/// <summary>
/// <see cref="PredictorWalkBenchmarks"/> in thread CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves out the time
/// the thread waits for a core on a shared machine: best and median of 9 rounds of about 50 ms per way, the ways
/// taken in turn within each round so that load changes reach all of them alike.
/// Run with <c>dotnet run -c Release --project benchmarks/VnetHash.Benchmarks -- predictor-cputime</c>.
/// </summary>
internal static class PredictorCpuTime
{
    public const string Command = "predictor-cputime";

    private const int Rounds = 9;
    private const long RoundNanoseconds = 50_000_000;

    public static void Run(TextWriter output)
    {
        var benchmarks = new PredictorWalkBenchmarks();
        benchmarks.Setup();
        (string Name, Func<int> Way)[] ways =
        [
            ("RssPredictor walk (preparation included)", benchmarks.Walk),
            ("RssTuple.Decide per port", benchmarks.HashEachTuple),
            ("ToeplitzKey.Hash per packed input", benchmarks.HashEachInput),
            ("ToeplitzKey.HashBatch over inputs packed beforehand", benchmarks.HashBatch),
        ];

        // Calls per round from one timed call each, after a warm-up of every way.
        int[] calls = new int[ways.Length];
        int sink = 0;
        for (int w = 0; w < ways.Length; w++)
        {
            for (int i = 0; i < 5; i++)
            {
                sink ^= ways[w].Way();
            }

            long start = ThreadCpuTime.Nanoseconds();
            sink ^= ways[w].Way();
            calls[w] = (int)Math.Clamp(RoundNanoseconds / Math.Max(1, ThreadCpuTime.Nanoseconds() - start), 1, 10_000);
        }

        double[][] microseconds = [.. ways.Select(_ => new double[Rounds])];
        for (int round = 0; round < Rounds; round++)
        {
            for (int w = 0; w < ways.Length; w++)
            {
                long start = ThreadCpuTime.Nanoseconds();
                for (int i = 0; i < calls[w]; i++)
                {
                    sink ^= ways[w].Way();
                }

                microseconds[w][round] = (ThreadCpuTime.Nanoseconds() - start) / 1000.0 / calls[w];
            }
        }

        GC.KeepAlive(sink);
        double walk = Median(microseconds[0]);
        output.WriteLine($"Thread CPU time for all 65,536 source ports, best and median of {Rounds} rounds; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}; Toeplitz path {new Hashing.ToeplitzKey(Hashing.ToeplitzKey.MicrosoftKey).Implementation}.");
        output.WriteLine("| Way | best µs | median µs | median ns/port | median / walk |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        for (int w = 0; w < ways.Length; w++)
        {
            double median = Median(microseconds[w]);
            output.WriteLine($"| {ways[w].Name} | {microseconds[w].Min():F0} | {median:F0} | {median * 1000 / 65536:F2} | {median / walk:F1} |");
        }
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
