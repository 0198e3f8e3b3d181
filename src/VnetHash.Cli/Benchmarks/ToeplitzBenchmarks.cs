using VnetHash.Hashing;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The Toeplitz hash of 12-byte (IPv4 4-tuple) and 36-byte (IPv6 4-tuple) inputs, single and batched, on every
/// path of <see cref="ToeplitzImplementation"/>; the paths whose instructions this CPU lacks are listed as skipped,
/// with the instructions they need.
/// </summary>
public sealed class ToeplitzBenchmarks : IBenchmarkProvider
{
    private const int BatchSize = 64;

    private static readonly int[] Lengths = [HashInput.IPv4WithPortsLength, HashInput.IPv6WithPortsLength];

    public IEnumerable<BenchmarkCase> Cases()
    {
        foreach (ToeplitzImplementation implementation in Enum.GetValues<ToeplitzImplementation>())
        {
            if (implementation == ToeplitzImplementation.Auto)
            {
                continue;
            }

            string path = PathName(implementation);
            if (!ToeplitzKey.IsSupported(implementation))
            {
                string reason = $"this CPU lacks {ToeplitzKey.RequiredInstructions(implementation)}";
                foreach (int length in Lengths)
                {
                    yield return BenchmarkCase.Skipped($"toeplitz-{length}-{path}", reason);
                    yield return BenchmarkCase.Skipped($"toeplitz-{length}-{path}-batch", reason);
                }

                continue;
            }

            foreach (BenchmarkCase benchmark in Cases(new ToeplitzKey(ToeplitzKey.MicrosoftKey, implementation), path))
            {
                yield return benchmark;
            }
        }
    }

    private static string PathName(ToeplitzImplementation implementation) =>
        implementation.ToString().ToLowerInvariant() switch
        {
            "carrylessmultiply" => "clmul",
            var name => name,
        };

    private static IEnumerable<BenchmarkCase> Cases(ToeplitzKey key, string path)
    {
        foreach (int length in Lengths)
        {
            // Distinct inputs read in turn: writing into the input before each hash would time a store-forwarding
            // stall (a byte store followed by a wide load of the same bytes), not the hash.
            byte[] pool = Input(length * BatchSize, 0);
            yield return new BenchmarkCase($"toeplitz-{length}-{path}", n =>
            {
                uint acc = 0;
                for (long done = 0; done < n; done += BatchSize)
                {
                    acc ^= HashEach(key, pool, length);
                }

                return acc;
            });

            byte[] inputs = Input(length * BatchSize, 1);
            var hashes = new uint[BatchSize];

            // One operation is one input of a batch, so the figure compares directly with the single path.
            yield return new BenchmarkCase($"toeplitz-{length}-{path}-batch", n =>
            {
                uint acc = 0;
                for (long i = 0; i < n; i += BatchSize)
                {
                    key.HashBatch(inputs, length, length, hashes);
                    acc ^= hashes[BatchSize - 1];
                }

                return acc;
            });
        }
    }

    // One call per input, walking the pool with locals only: the loop adds a few instructions and no reloads.
    private static uint HashEach(ToeplitzKey key, ReadOnlySpan<byte> pool, int length)
    {
        uint acc = 0;
        for (ReadOnlySpan<byte> rest = pool; rest.Length >= length; rest = rest[length..])
        {
            acc ^= key.Hash(rest[..length]);
        }

        return acc;
    }

    private static byte[] Input(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
