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

        (double Best, double Median)[] nanoseconds = CpuTimeHarness.Measure([.. ways.Select(w => new WayPass(w.Way))], Rounds, RoundNanoseconds);
        double walk = nanoseconds[0].Median;
        output.WriteLine($"Thread CPU time for all 65,536 source ports, best and median of {Rounds} rounds; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}; Toeplitz path {new Hashing.ToeplitzKey(Hashing.ToeplitzKey.MicrosoftKey).Implementation}.");
        output.WriteLine("| Way | best µs | median µs | median ns/port | median / walk |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        for (int w = 0; w < ways.Length; w++)
        {
            (double best, double median) = nanoseconds[w];
            output.WriteLine($"| {ways[w].Name} | {best / 1000:F0} | {median / 1000:F0} | {median / 65536:F2} | {median / walk:F1} |");
        }
    }

    /// <summary>One way, one call per operation.</summary>
    private sealed class WayPass(Func<int> way) : CpuTimeHarness.IPass
    {
        public int Operations => 1;

        public uint Run() => (uint)way();
    }
}
