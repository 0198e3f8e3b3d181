using System.Runtime.CompilerServices;
using VnetHash.Hashing;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The Toeplitz hash of 12-byte (IPv4 4-tuple) and 36-byte (IPv6 4-tuple) inputs: what a default (Auto) key does,
/// with the path it chose by measurement named, and every forced path of <see cref="ToeplitzImplementation"/>, single
/// and batched; the paths whose instructions this CPU lacks are listed as skipped, with the library's reason.
/// </summary>
public sealed class ToeplitzBenchmarks : IBenchmarkProvider
{
    private const int BatchSize = 64;

    private static readonly int[] Lengths = [HashInput.IPv4WithPortsLength, HashInput.IPv6WithPortsLength];

    public IEnumerable<BenchmarkCase> Cases()
    {
        var auto = new ToeplitzKey(ToeplitzKey.MicrosoftKey);

        // Every single-call case of a length reads the same inputs at the same addresses, so two cases differ only in
        // their path: where a pool lies in memory changed one path's time by up to two thirds on Zen 4 (the
        // 36-byte carry-less hash, 3.6 against 5.9 ns, the pool moved within a page).
        Dictionary<int, byte[]> pools = Lengths.ToDictionary(length => length, length => Input(length * BatchSize, 0));
        foreach (int length in Lengths)
        {
            ToeplitzOperation single = length == HashInput.IPv4WithPortsLength ? ToeplitzOperation.Hash12 : ToeplitzOperation.Hash36;
            yield return Single(auto, pools[length], length, "auto") with { Path = PathName(auto.ImplementationOf(single)) };
        }

        foreach (ToeplitzImplementation implementation in Enum.GetValues<ToeplitzImplementation>().Where(i => i != ToeplitzImplementation.Auto))
        {
            string path = PathName(implementation);
            if (!ToeplitzKey.IsSupported(implementation))
            {
                string reason = Unsupported(implementation);
                foreach (int length in Lengths)
                {
                    yield return BenchmarkCase.Skipped($"toeplitz-{length}-{path}", reason);
                    yield return BenchmarkCase.Skipped($"toeplitz-{length}-{path}-batch", reason);
                }

                continue;
            }

            var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey, implementation);
            foreach (int length in Lengths)
            {
                yield return Single(key, pools[length], length, path);
                yield return Batch(key, length, path);
            }
        }
    }

    /// <summary>The short name of a path in case names: table, clmul, gfni256, gfni512.</summary>
    public static string PathName(ToeplitzImplementation implementation) =>
        implementation == ToeplitzImplementation.CarrylessMultiply ? "clmul" : implementation.ToString().ToLowerInvariant();

    // The library's own words for why a path cannot run here.
    private static string Unsupported(ToeplitzImplementation implementation)
    {
        try
        {
            _ = new ToeplitzKey(ToeplitzKey.MicrosoftKey, implementation);
            return $"{implementation} did not run";
        }
        catch (PlatformNotSupportedException missing)
        {
            return missing.Message;
        }
    }

    private static BenchmarkCase Single(ToeplitzKey key, byte[] pool, int length, string path)
    {
        // Distinct inputs read in turn: writing into the input before each hash would time a store-forwarding
        // stall (a byte store followed by a wide load of the same bytes), not the hash.
        return new BenchmarkCase($"toeplitz-{length}-{path}", n =>
        {
            uint acc = 0;
            for (long done = 0; done < n; done += BatchSize)
            {
                acc ^= HashEach(key, pool, length);
            }

            return acc;
        });
    }

    private static BenchmarkCase Batch(ToeplitzKey key, int length, string path)
    {
        byte[] inputs = Input(length * BatchSize, 1);
        var hashes = new uint[BatchSize];

        // One operation is one input of a batch, so the figure compares directly with the single path.
        return new BenchmarkCase($"toeplitz-{length}-{path}-batch", n =>
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

    /// <summary>
    /// Hashes each whole <paramref name="length"/>-byte input of <paramref name="pool"/> once, one call each, and XORs
    /// the hashes; the loop of each length sees its length as a constant.
    /// </summary>
    internal static uint HashEach(ToeplitzKey key, ReadOnlySpan<byte> pool, int length) => length switch
    {
        HashInput.IPv4WithPortsLength => HashEach<IPv4Tuple>(key, pool),
        HashInput.IPv6WithPortsLength => HashEach<IPv6Tuple>(key, pool),
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "The Toeplitz cases cover the 12-byte IPv4 and 36-byte IPv6 4-tuples."),
    };

    // One call per input, walking the pool with locals only: the loop adds a few instructions and no stores. Never
    // inlined into the timed delegate, for its own registers (docs/design.md, "`bench`'s timed loops").
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint HashEach<TLength>(ToeplitzKey key, ReadOnlySpan<byte> pool)
        where TLength : struct, ITupleLength
    {
        uint acc = 0;
        for (ReadOnlySpan<byte> rest = pool; rest.Length >= TLength.Length; rest = rest[TLength.Length..])
        {
            acc ^= key.Hash(rest[..TLength.Length]);
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
