using System.Runtime.InteropServices;
using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// Managed models of the x86 instructions the GFNI Toeplitz paths use, written from their documented semantics,
/// and the two GFNI kernels replayed on those models with the same matrices, indices and shuffle the core uses.
/// Lets the layout be tested on CPUs without GFNI.
/// </summary>
internal static class ToeplitzGfniModel
{
    /// <summary>
    /// VGF2P8AFFINEQB: per qword lane, output bit k of each byte = parity(matrix byte (7 - k) AND x) XOR bit k of
    /// <paramref name="constant"/>, the matrix being that lane's qword of <paramref name="matrices"/>.
    /// </summary>
    public static byte[] AffineTransform(ReadOnlySpan<byte> x, ReadOnlySpan<byte> matrices, byte constant)
    {
        byte[] result = new byte[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            ReadOnlySpan<byte> matrix = matrices.Slice(i & ~7, 8);
            int output = 0;
            for (int k = 0; k < 8; k++)
            {
                int parity = System.Numerics.BitOperations.PopCount((uint)(matrix[7 - k] & x[i])) & 1;
                output |= (parity ^ ((constant >> k) & 1)) << k;
            }

            result[i] = (byte)output;
        }

        return result;
    }

    /// <summary>VPERMB: byte i = table[index[i] mod 64].</summary>
    public static byte[] PermuteBytes(ReadOnlySpan<byte> table, ReadOnlySpan<byte> indices)
    {
        byte[] result = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = table[indices[i] & 63];
        }

        return result;
    }

    /// <summary>VPERMT2B / VPERMI2B: index bit 6 chooses the second table, bits 0..5 the byte.</summary>
    public static byte[] PermuteBytes(ReadOnlySpan<byte> first, ReadOnlySpan<byte> indices, ReadOnlySpan<byte> second)
    {
        byte[] result = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = (indices[i] & 64) == 0 ? first[indices[i] & 63] : second[indices[i] & 63];
        }

        return result;
    }

    /// <summary>VPSHUFB: within each 128-bit lane, byte i = 0 if control bit 7 is set, else lane byte (control mod 16).</summary>
    public static byte[] ShuffleBytes(ReadOnlySpan<byte> data, ReadOnlySpan<byte> control)
    {
        byte[] result = new byte[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            result[i] = (control[i] & 0x80) != 0 ? (byte)0 : data[(i & ~15) + (control[i] & 15)];
        }

        return result;
    }

    /// <summary>The Gfni512 kernel on the models: pieces of 48 bytes, masked load, VPERMB, affine, XOR of qwords.</summary>
    public static uint Gfni512(ulong[] matrices, ReadOnlySpan<byte> input, int offset)
    {
        uint hash = 0;
        for (int start = 0; start < input.Length; start += ToeplitzKey.GfniPieceLength)
        {
            ReadOnlySpan<byte> piece = input.Slice(start, Math.Min(ToeplitzKey.GfniPieceLength, input.Length - start));
            hash ^= (uint)Gfni512Pass(matrices, piece, offset + start, second: null);
        }

        return hash;
    }

    /// <summary>One Gfni512 pass; with <paramref name="second"/>, the two-input batch form (VPERMT2B).</summary>
    public static ulong Gfni512Pass(ulong[] matrices, ReadOnlySpan<byte> piece, int offset, byte[]? second)
    {
        byte[] loaded = new byte[64];
        piece.CopyTo(loaded);
        ulong sum = 0;
        for (int c = 0; c < ToeplitzKey.GfniBlocks(piece.Length, 8); c++)
        {
            ReadOnlySpan<byte> indices = ToeplitzKey.Gfni512Indices.Slice(64 * c, 64);
            byte[] lanes = second is null ? PermuteBytes(loaded, indices) : PermuteBytes(loaded, indices, Loaded(second));
            sum ^= XorOfQwords(AffineTransform(lanes, MatrixBytes(matrices, offset + (8 * c), 8), 0));
        }

        return sum;
    }

    /// <summary>The Gfni256 kernel on the models: staged piece, broadcast 16 bytes, VPSHUFB, affine, XOR of qwords.</summary>
    public static uint Gfni256(ulong[] matrices, ReadOnlySpan<byte> input, int offset)
    {
        uint hash = 0;
        for (int start = 0; start < input.Length; start += ToeplitzKey.GfniPieceLength)
        {
            ReadOnlySpan<byte> piece = input.Slice(start, Math.Min(ToeplitzKey.GfniPieceLength, input.Length - start));
            byte[] staged = new byte[ToeplitzKey.Gfni256BufferLength];
            piece.CopyTo(staged.AsSpan(ToeplitzKey.Gfni256Lead));
            ulong sum = 0;
            for (int c = 0; c < ToeplitzKey.GfniBlocks(piece.Length, 4); c++)
            {
                ReadOnlySpan<byte> window = staged.AsSpan(ToeplitzKey.Gfni256Lead - 3 + (4 * c), 16);
                byte[] lanes = ShuffleBytes([.. window, .. window], ToeplitzKey.BuildGfni256Window(0));
                sum ^= XorOfQwords(AffineTransform(lanes, MatrixBytes(matrices, offset + start + (4 * c), 4), 0));
            }

            hash ^= (uint)sum;
        }

        return hash;
    }

    /// <summary>
    /// The Gfni256 tuple kernels on the models (12- or 36-byte input at byte 0): group k of four lanes uses matrices
    /// 4k .. 4k + 3 of the general layout, its lanes shuffled (VPSHUFB) from the 16-byte window the kernel reads for it,
    /// held in both halves, with the indices of that window's shift.
    /// </summary>
    public static uint Gfni256Tuple(ulong[] matrices, ReadOnlySpan<byte> input)
    {
        ulong sum = 0;
        for (int k = 0; k < ToeplitzKey.GfniBlocks(input.Length, 4); k++)
        {
            int start = Gfni256TupleWindow(input.Length, k);
            byte[] window = new byte[16];
            input[start..Math.Min(start + 16, input.Length)].CopyTo(window);
            byte[] lanes = ShuffleBytes([.. window, .. window], ToeplitzKey.BuildGfni256Window((4 * k) - 3 - start));
            sum ^= XorOfQwords(AffineTransform(lanes, MatrixBytes(matrices, 4 * k, 4), 0));
        }

        return (uint)sum;
    }

    // Where the kernels read group k's window: the 12-byte tuple's one at byte 0, the 36-byte tuple's at 0, 13 and 20.
    private static int Gfni256TupleWindow(int length, int group) => length == 12 || group < 4 ? 0 : group < 7 ? 13 : 20;

    /// <summary>
    /// The Gfni512 tuple kernel on the models (12- or 36-byte input at byte 0): one VPERMT2B from the head and tail
    /// tables, block c the spread shifted right by c bytes per qword (VPSRLQ), affine with the tuple layout's matrices,
    /// XOR of the low dwords.
    /// </summary>
    public static uint Gfni512Tuple(ulong[] matrices, ReadOnlySpan<byte> input)
    {
        (int blocks, int head, byte[] indices) = TupleLayout(input.Length, pairBlock: -1);
        byte[] spread = PermuteBytes(Loaded(input[..head]), indices, Loaded(input[head..]));
        uint hash = 0;
        for (int c = 0; c < blocks; c++)
        {
            byte[] shifted = MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, ulong>(spread).ToArray().Select(q => q >> (8 * c)).ToArray()).ToArray();
            byte[] products = AffineTransform(shifted, MemoryMarshal.AsBytes(ToeplitzKey.GfniTupleBlock(matrices, blocks, c).AsSpan()), 0);
            foreach (ulong qword in MemoryMarshal.Cast<byte, ulong>(products))
            {
                hash ^= (uint)qword;
            }
        }

        return hash;
    }

    /// <summary>The two-input batch form of the tuple kernel: one VPERMT2B per block from both heads and both tails.</summary>
    public static ulong Gfni512TuplePair(ulong[] matrices, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        (int blocks, int head, _) = TupleLayout(first.Length, pairBlock: -1);
        byte[] heads = Loaded([.. first[..head], .. second[..head]]);
        byte[] tails = Loaded([.. first[head..], .. second[head..]]);
        ulong sum = 0;
        for (int c = 0; c < blocks; c++)
        {
            byte[] lanes = PermuteBytes(heads, TupleLayout(first.Length, c).Indices, tails);
            sum ^= XorOfQwords(AffineTransform(lanes, MemoryMarshal.AsBytes(ToeplitzKey.GfniTupleBlock(matrices, blocks, c).AsSpan()), 0));
        }

        return sum;
    }

    private static (int Blocks, int Head, byte[] Indices) TupleLayout(int length, int pairBlock) => length switch
    {
        HashInput.IPv4WithPortsLength => (ToeplitzKey.Gfni12Blocks, 8, ToeplitzKey.BuildGfniTupleSpread(ToeplitzKey.Gfni12Blocks, length, 8, pairBlock)),
        HashInput.IPv6WithPortsLength => (ToeplitzKey.Gfni36Blocks, 32, ToeplitzKey.BuildGfniTupleSpread(ToeplitzKey.Gfni36Blocks, length, 32, pairBlock)),
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "The tuple layout covers 12- and 36-byte inputs."),
    };

    private static byte[] Loaded(ReadOnlySpan<byte> piece)
    {
        byte[] loaded = new byte[64];
        piece.CopyTo(loaded);
        return loaded;
    }

    private static byte[] MatrixBytes(ulong[] matrices, int first, int count) =>
        MemoryMarshal.AsBytes(matrices.AsSpan(first, count)).ToArray();

    private static ulong XorOfQwords(byte[] bytes)
    {
        ulong sum = 0;
        foreach (ulong qword in MemoryMarshal.Cast<byte, ulong>(bytes))
        {
            sum ^= qword;
        }

        return sum;
    }
}
