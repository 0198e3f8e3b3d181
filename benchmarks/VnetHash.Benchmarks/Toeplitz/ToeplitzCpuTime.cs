using VnetHash.Benchmarks.Peer;
using VnetHash.Hashing;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>
/// Per-hash cost of every Toeplitz variant in thread CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves out the time
/// the thread waits for a core: on a small machine shared with other builds, wall-clock benchmarks mostly measure
/// the queue. The variants of one tuple length run round by round in turn with the C peers (per-byte tables, and
/// DPDK's GFNI method where the CPU has GFNI, both gcc -O3 -march=native), so the ratios to C hold even when the
/// machine changes speed. Each variant is a struct loop, so the generic loop inlines the hash and adds no call.
/// Run with <c>dotnet run -c Release --project benchmarks/VnetHash.Benchmarks -- toeplitz-cputime [FILTER]</c>; FILTER keeps
/// the variants whose name contains it, beside the C peers.
/// </summary>
internal static class ToeplitzCpuTime
{
    public const string Command = "toeplitz-cputime";

    private const int Rounds = 31;
    private const long RoundNanoseconds = 4_000_000;

    public static void Run(TextWriter output, string? filter)
    {
        output.WriteLine(MachineDescription.Describe());
        var auto = new ToeplitzKey(ToeplitzKey.MicrosoftKey);
        output.WriteLine($"Auto chose, in {ToeplitzPathChooser.ChoiceTime.TotalMicroseconds:F0} µs: "
            + string.Join(", ", Enum.GetValues<ToeplitzOperation>().Select(o => $"{o} {auto.ImplementationOf(o)}")) + ".");
        output.WriteLine(CPeer.Missing is null ? $"C peer: {CPeer.BuildCommand}; C GFNI method {(CPeer.HasGfni ? "runs" : "cannot run")} on this CPU." : $"C peer: {CPeer.Missing}.");
        output.WriteLine($"Thread CPU time per hash, best and median of {Rounds} rounds, the variants of one length in turn each round.");
        output.WriteLine("| Length | Variant | best ns/hash | median ns/hash | C GFNI / this (best) | C table / this (best) |");
        output.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: |");
        if (CPeer.Missing is null)
        {
            CPeer.Prepare(ToeplitzKey.MicrosoftKey);
        }

        foreach (int length in new[] { HashInput.IPv4WithPortsLength, HashInput.IPv6WithPortsLength })
        {
            List<(string Name, CpuTimeHarness.IPass Pass)> variants = Variants(length, auto, filter);
            (double Best, double Median)[] results = CpuTimeHarness.Measure([.. variants.Select(v => v.Pass)], Rounds, RoundNanoseconds);
            double Peer(string name) => variants.FindIndex(v => v.Name.StartsWith(name, StringComparison.Ordinal)) is int i and >= 0 ? results[i].Best : 0;
            double gfni = Peer("C GFNI");
            double table = Peer("C per-byte table");
            for (int i = 0; i < variants.Count; i++)
            {
                string Ratio(double peer) => peer == 0 ? "" : $"{peer / results[i].Best:F2}x";
                output.WriteLine($"| {length} | {variants[i].Name} | {results[i].Best:F2} | {results[i].Median:F2} | {Ratio(gfni)} | {Ratio(table)} |");
            }
        }
    }

    // Only the variants FILTER keeps are made, and only their keys hash anything before the timing: the kernels' path
    // tests are compiled with the profile of the hashing done so far, and keys of other paths hashing through the same
    // methods (to be checked, or timed) would lay out the timed path's kernel as the less likely branch, which no
    // process that uses one key does.
    private static List<(string Name, CpuTimeHarness.IPass Pass)> Variants(int length, ToeplitzKey auto, string? filter)
    {
        bool Wanted(string name) => filter is null || name.Contains(filter, StringComparison.OrdinalIgnoreCase);
        byte[] inputs = ToeplitzInputs.Packed(length);
        byte[] frames = ToeplitzInputs.Frames(length);
        string inPlace = $"HashIPv{(length == HashInput.IPv4WithPortsLength ? 4 : 6)} in place";
        List<(string Name, CpuTimeHarness.IPass Pass)> variants = [];
        if (CPeer.Missing is null)
        {
            ToeplitzInputs.Verify("C per-byte table", inputs, length, input => CPeer.TableHash(input.Span));
            variants.Add(($"C per-byte table ({CPeer.BuildCommand})", new PeerPass(inputs, length, gfni: false)));
            if (CPeer.HasGfni)
            {
                ToeplitzInputs.Verify("C GFNI", inputs, length, input => CPeer.GfniHash(input.Span));
                variants.Add(($"C GFNI, DPDK's method ({CPeer.BuildCommand})", new PeerPass(inputs, length, gfni: true)));
            }
        }

        (string Name, CpuTimeHarness.IPass Pass)[] baselines =
        [
            ("set-bit loop (C#)", new EachPass<SetBitLoopHasher>(new(new SetBitLoopToeplitz(ToeplitzKey.MicrosoftKey)), inputs, length)),
            ("per-byte table (C#)", new EachPass<ByteTableHasher>(new(new ByteTableToeplitz(ToeplitzKey.MicrosoftKey)), inputs, length)),
        ];
        variants.AddRange(baselines.Where(v => Wanted(v.Name)));
        ToeplitzOperation single = length == HashInput.IPv4WithPortsLength ? ToeplitzOperation.Hash12 : ToeplitzOperation.Hash36;
        ToeplitzOperation batch = length == HashInput.IPv4WithPortsLength ? ToeplitzOperation.Batch12 : ToeplitzOperation.Batch36;
        foreach ((string name, ToeplitzKey key) in ToeplitzKey.AvailableImplementations.Select(p => (p.ToString(), new ToeplitzKey(ToeplitzKey.MicrosoftKey, p)))
            .Prepend(("Auto", auto)))
        {
            string Named(ToeplitzOperation operation) => name == "Auto" ? $"Auto ({key.ImplementationOf(operation)})" : name;
            (string Name, CpuTimeHarness.IPass Pass)[] ofKey =
            [
                ($"{Named(single)} Hash", new EachPass<PreparedKeyHasher>(new(key), inputs, length)),
                ($"{Named(batch)} HashBatch", new BatchPass(key, inputs, length)),
                ($"{Named(single)} {inPlace}", new TuplePass(key, frames, length)),
            ];
            if (ofKey.Any(v => Wanted(v.Name)))
            {
                ToeplitzInputs.Verify(name, inputs, length, input => key.Hash(input.Span));
                variants.AddRange(ofKey.Where(v => Wanted(v.Name)));
            }
        }

        return variants;
    }

    private sealed class PeerPass(byte[] inputs, int length, bool gfni) : CpuTimeHarness.IPass
    {
        public int Operations => ToeplitzInputs.Count;

        public uint Run() => gfni ? CPeer.GfniEach(inputs, length) : CPeer.TableEach(inputs, length);
    }

    private sealed class EachPass<THasher>(THasher hasher, byte[] inputs, int length) : CpuTimeHarness.IPass
        where THasher : struct, ITupleHasher
    {
        public int Operations => ToeplitzInputs.Count;

        public uint Run() => ToeplitzInputs.HashEach(hasher, inputs, length);
    }

    private sealed class BatchPass(ToeplitzKey key, byte[] inputs, int length) : CpuTimeHarness.IPass
    {
        private readonly uint[] _hashes = new uint[ToeplitzInputs.Count];

        public int Operations => ToeplitzInputs.Count;

        public uint Run()
        {
            key.HashBatch(inputs, length, length, _hashes);
            return _hashes[0];
        }
    }

    private sealed class TuplePass(ToeplitzKey key, byte[] frames, int length) : CpuTimeHarness.IPass
    {
        public int Operations => ToeplitzInputs.Count;

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
