using System.Runtime.InteropServices;
using VnetHash.Hashing;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>
/// Per-hash cost of every Toeplitz variant in thread CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves out the time
/// the thread waits for a core: on a small machine shared with other builds, wall-clock benchmarks mostly measure
/// the queue. Each variant is a struct loop, so the generic measurement inlines it and adds no call.
/// Run with <c>dotnet run -c Release --project benchmarks/VnetHash.Benchmarks -- toeplitz-cputime</c>.
/// </summary>
internal static partial class ToeplitzCpuTime
{
    public const string Command = "toeplitz-cputime";

    private const int Rounds = 31;
    private const long RoundNanoseconds = 20_000_000;
    private const long WarmupNanoseconds = 400_000_000;

    private interface IPass
    {
        /// <summary>Hashes all <see cref="ToeplitzInputs.Count"/> tuples once.</summary>
        uint Run();
    }

    public static void Run(TextWriter output)
    {
        output.WriteLine($"Thread CPU time per hash, best and median of {Rounds} rounds; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}.");
        output.WriteLine("| Length | Variant | best ns/hash | median ns/hash | vs set-bit loop | vs byte table |");
        output.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (int length in new[] { HashInput.IPv4WithPortsLength, HashInput.IPv6WithPortsLength })
        {
            byte[] inputs = ToeplitzInputs.Packed(length);
            byte[] frames = ToeplitzInputs.Frames(length);
            (double setBit, _) = Report(output, length, "set-bit loop (baseline)", new EachPass<SetBitLoopHasher>(new(new SetBitLoopToeplitz(ToeplitzKey.MicrosoftKey)), inputs, length), 0, 0);
            (double table, _) = Report(output, length, "byte table (baseline)", new EachPass<ByteTableHasher>(new(new ByteTableToeplitz(ToeplitzKey.MicrosoftKey)), inputs, length), setBit, 0);
            foreach (ToeplitzImplementation path in ToeplitzKey.AvailableImplementations)
            {
                var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey, path);
                Report(output, length, $"{path} Hash", new EachPass<PreparedKeyHasher>(new(key), inputs, length), setBit, table);
                Report(output, length, $"{path} HashBatch", new BatchPass(key, inputs, length, new uint[ToeplitzInputs.Count]), setBit, table);
                Report(output, length, $"{path} HashIPv{(length == HashInput.IPv4WithPortsLength ? 4 : 6)} in place", new TuplePass(key, frames, length), setBit, table);
            }
        }
    }

    private static (double Best, double Median) Report<T>(TextWriter output, int length, string name, T pass, double setBit, double table)
        where T : IPass
    {
        (double best, double median) = Measure(pass);
        string Ratio(double baseline) => baseline == 0 ? "" : $"{baseline / best:F1}x";
        output.WriteLine($"| {length} | {name} | {best:F2} | {median:F2} | {Ratio(setBit)} | {Ratio(table)} |");
        return (best, median);
    }

    private static (double Best, double Median) Measure<T>(T pass)
        where T : IPass
    {
        uint sink = 0;
        long start = Now();
        int passes = 0;
        while (Now() - start < WarmupNanoseconds)
        {
            sink ^= pass.Run();
            passes++;
        }

        // Passes per round from the warm rate, so each round lasts about RoundNanoseconds.
        long warmStart = Now();
        for (int i = 0; i < passes / 8 + 1; i++)
        {
            sink ^= pass.Run();
        }

        double perPass = (double)(Now() - warmStart) / (passes / 8 + 1);
        int perRound = Math.Max(1, (int)(RoundNanoseconds / perPass));
        double[] rounds = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long roundStart = Now();
            for (int i = 0; i < perRound; i++)
            {
                sink ^= pass.Run();
            }

            rounds[round] = (double)(Now() - roundStart) / ((long)perRound * ToeplitzInputs.Count);
        }

        GC.KeepAlive(sink);
        Array.Sort(rounds);
        return (rounds[0], rounds[Rounds / 2]);
    }

    private static long Now() => ThreadCpuClock.Now();

    private readonly struct EachPass<THasher>(THasher hasher, byte[] inputs, int length) : IPass
        where THasher : struct, ITupleHasher
    {
        public uint Run() => ToeplitzInputs.HashEach(hasher, inputs, length);
    }

    private readonly struct BatchPass(ToeplitzKey key, byte[] inputs, int length, uint[] hashes) : IPass
    {
        public uint Run()
        {
            key.HashBatch(inputs, length, length, hashes);
            return hashes[0];
        }
    }

    private readonly struct TuplePass(ToeplitzKey key, byte[] frames, int length) : IPass
    {
        public uint Run()
        {
            (int addresses, int addressesLength, int ports) = ToeplitzInputs.TupleLayout(length);
            uint sum = 0;
            for (int i = 0; i < ToeplitzInputs.Count; i++)
            {
                ReadOnlySpan<byte> frame = frames.AsSpan(i * ToeplitzInputs.FrameLength, ToeplitzInputs.FrameLength);
                sum ^= addressesLength == 8
                    ? key.HashIPv4(frame.Slice(addresses, addressesLength), frame.Slice(ports, 4))
                    : key.HashIPv6(frame.Slice(addresses, addressesLength), frame.Slice(ports, 4));
            }

            return sum;
        }
    }
}
