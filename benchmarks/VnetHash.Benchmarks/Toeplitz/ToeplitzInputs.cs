using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VnetHash.Cli.Benchmarks;
using VnetHash.Hashing;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>Random tuples, packed and inside frames, shared by the Toeplitz benchmarks.</summary>
internal static class ToeplitzInputs
{
    /// <summary>Distinct tuples per invocation: enough that branch predictors cannot learn the set-bit loop's data.</summary>
    public const int Count = 256;

    /// <summary>Bytes per synthetic frame; IPv4 addresses at 26 and ports at 34, IPv6 addresses at 22 and ports at 54.</summary>
    public const int FrameLength = 64;

    public static byte[] Packed(int length) => RandomBytes(Count * length, seed: length);

    public static byte[] Frames(int length) => RandomBytes(Count * FrameLength, seed: length + 1);

    public static (int Addresses, int AddressesLength, int Ports) TupleLayout(int length) => length switch
    {
        HashInput.IPv4WithPortsLength => (26, 8, 34),
        HashInput.IPv6WithPortsLength => (22, 32, 54),
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "Benchmarks cover the 12-byte IPv4 and 36-byte IPv6 4-tuples."),
    };

    /// <summary>
    /// Hashes each packed tuple once, one call each, and XORs the hashes. The loop has the C peer's shape: a
    /// reference stepping from tuple to tuple by a length the compiler sees as a constant (12 or 36, as the C peer's
    /// loops do), locals only, so it costs a few instructions per tuple and no reloads or bounds checks; the hash is
    /// the rest. Each length is a loop of its own, so neither takes the other's inlining budget.
    /// </summary>
    public static uint HashEach<THasher>(THasher hasher, ReadOnlySpan<byte> packed, int length)
        where THasher : struct, ITupleHasher => length switch
        {
            HashInput.IPv4WithPortsLength => Walk<THasher, IPv4Tuple>(hasher, packed),
            HashInput.IPv6WithPortsLength => Walk<THasher, IPv6Tuple>(hasher, packed),
            _ => throw new ArgumentOutOfRangeException(nameof(length), length, "Benchmarks cover the 12-byte IPv4 and 36-byte IPv6 4-tuples."),
        };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint Walk<THasher, TLength>(THasher hasher, ReadOnlySpan<byte> packed)
        where THasher : struct, ITupleHasher
        where TLength : struct, ITupleLength
    {
        uint sum = 0;
        ref byte tuple = ref MemoryMarshal.GetReference(packed);
        for (int left = packed.Length / TLength.Length; left > 0; left--)
        {
            sum ^= hasher.Hash(MemoryMarshal.CreateReadOnlySpan(ref tuple, TLength.Length));
            tuple = ref Unsafe.Add(ref tuple, TLength.Length);
        }

        return sum;
    }

    /// <summary>Throws unless <paramref name="hash"/> agrees with the bitwise definition on every packed tuple.</summary>
    public static void Verify(string name, byte[] packed, int length, Func<ReadOnlyMemory<byte>, uint> hash)
    {
        for (int i = 0; i < Count; i++)
        {
            ReadOnlyMemory<byte> input = packed.AsMemory(i * length, length);
            if (hash(input) != ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input.Span))
            {
                throw new InvalidOperationException($"{name} disagrees with the bitwise Toeplitz definition on tuple {i}.");
            }
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
