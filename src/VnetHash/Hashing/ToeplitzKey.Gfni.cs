using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VnetHash.Hashing;

// GFNI path (the DPDK rte_thash GFNI method). Matrix i is one qword whose byte j holds the 8 key bits from key bit
// 8i + j. VGF2P8AFFINEQB sets output bit k of a byte x to parity(matrix byte (7 - k) AND x), so transforming input
// byte n by matrix n + q gives exactly its contribution to hash byte q (q = 0 most significant). A qword lane that
// uses matrix i and holds input bytes i - 3, i - 2, i - 1, i in its low dword therefore ends with a little-endian
// partial hash in that dword; the hash is the XOR of all lanes. An input of n bytes uses matrices 0 .. n + 2.
// Inputs are hashed in pieces of at most 48 bytes (linearity), so a piece plus its 3 leading zero bytes always fits
// one 64-byte register with zeros to spare.
public sealed partial class ToeplitzKey
{
    /// <summary>Longest piece one pass hashes; longer inputs are split (their hashes XOR).</summary>
    internal const int GfniPieceLength = 48;

    /// <summary>Zero bytes in front of a piece in the 256-bit path's staging buffer.</summary>
    internal const int Gfni256Lead = 16;

    internal const int Gfni256BufferLength = Gfni256Lead + GfniPieceLength + 16;

    // Zero bytes that precede the input in every lane: lane j of a block starts 3 bytes before input byte j.
    private const int GfniLeadingZeros = 3;

    private static readonly byte[] s_gfni512Indices = BuildGfni512Indices();

    private static readonly byte[] s_gfni256Shuffle = BuildGfni256Shuffle();

    private readonly ulong[]? _gfniMatrices;

    private static bool IsGfni256Supported => Gfni.V256.IsSupported && Avx2.IsSupported;

    private static bool IsGfni512Supported => Gfni.V512.IsSupported && Avx512BW.IsSupported && Avx512Vbmi.IsSupported;

    /// <summary>
    /// VPERMB indices, 64 per block of eight matrices: block c, lane j, byte k &lt; 4 takes piece byte
    /// 8c + j + k - 3 (modulo 64; the three negative ones land on the zeros at 61..63); bytes k &gt;= 4 take the
    /// same bytes of a second input (index + 64) when two inputs share a pass.
    /// </summary>
    internal static ReadOnlySpan<byte> Gfni512Indices => s_gfni512Indices;

    /// <summary>
    /// VPSHUFB control for the 256-bit path: both 128-bit lanes hold the 16 staged bytes starting 3 before the
    /// block's first input byte; qword lane j (0..3) takes bytes j .. j + 3 into its low dword and zeros above.
    /// </summary>
    internal static ReadOnlySpan<byte> Gfni256Shuffle => s_gfni256Shuffle;

    /// <summary>Blocks of <paramref name="lanes"/> matrices a piece of <paramref name="length"/> bytes needs.</summary>
    internal static int GfniBlocks(int length, int lanes) => (length + GfniLeadingZeros + lanes - 1) / lanes;

    /// <summary>
    /// The matrices of <paramref name="key"/>: qword i, byte j = key bits 8i + j .. 8i + j + 7 (most significant
    /// first), zero beyond the key; padded so the last block of the longest input reads whole vectors.
    /// </summary>
    internal static ulong[] BuildGfniMatrices(ReadOnlySpan<byte> key)
    {
        byte[] keyBytes = key.ToArray();
        var matrices = new ulong[key.Length - WindowBytes + GfniLeadingZeros + 8];
        for (int i = 0; i < matrices.Length; i++)
        {
            ulong matrix = 0;
            for (int j = 0; j < 8; j++)
            {
                uint row = 0;
                for (int c = 0; c < 8; c++)
                {
                    row = (row << 1) | KeyBit(keyBytes, (8 * i) + j + c);
                }

                matrix |= (ulong)row << (8 * j);
            }

            matrices[i] = matrix;
        }

        return matrices;
    }

    private static byte[] BuildGfni512Indices()
    {
        var indices = new byte[GfniBlocks(GfniPieceLength, 8) * 64];
        for (int c = 0; c < indices.Length / 64; c++)
        {
            for (int j = 0; j < 8; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    int source = ((8 * c) + j + k - GfniLeadingZeros) & 63;
                    indices[(64 * c) + (8 * j) + k] = (byte)source;
                    indices[(64 * c) + (8 * j) + k + 4] = (byte)(source + 64);
                }
            }
        }

        return indices;
    }

    private static byte[] BuildGfni256Shuffle()
    {
        var shuffle = new byte[32];
        shuffle.AsSpan().Fill(0x80);
        for (int j = 0; j < 4; j++)
        {
            for (int k = 0; k < 4; k++)
            {
                shuffle[(8 * j) + k] = (byte)(j + k);
            }
        }

        return shuffle;
    }

    private uint HashGfni512(ReadOnlySpan<byte> input, int offset)
    {
        uint hash = 0;
        while (input.Length > GfniPieceLength)
        {
            hash ^= HashGfni512Piece(input[..GfniPieceLength], offset);
            input = input[GfniPieceLength..];
            offset += GfniPieceLength;
        }

        return hash ^ HashGfni512Piece(input, offset);
    }

    private uint HashGfni512Piece(ReadOnlySpan<byte> piece, int offset)
    {
        Debug.Assert(_gfniMatrices is not null && piece.Length <= GfniPieceLength);
        if (piece.IsEmpty)
        {
            return 0;
        }

        Vector512<byte> bytes = LoadGfni512(piece);
        ref ulong matrices = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gfniMatrices), offset);
        ref byte indices = ref MemoryMarshal.GetArrayDataReference(s_gfni512Indices);
        Vector512<ulong> sum = Vector512<ulong>.Zero;
        for (int c = 0, blocks = GfniBlocks(piece.Length, 8); c < blocks; c++)
        {
            Vector512<byte> lanes = Avx512Vbmi.PermuteVar64x8(bytes, Vector512.LoadUnsafe(ref indices, (nuint)(64 * c)));
            sum ^= Gfni.V512.GaloisFieldAffineTransform(lanes, Vector512.LoadUnsafe(ref matrices, (nuint)(8 * c)).AsByte(), 0).AsUInt64();
        }

        return (uint)FoldQwords(sum);
    }

    private void HashBatchGfni512(ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        Debug.Assert(_gfniMatrices is not null);
        int i = 0;
        if (inputLength is > 0 and <= GfniPieceLength)
        {
            // Two inputs per pass: the first in the low dword of every lane, the second in the high dword.
            ref ulong matrices = ref MemoryMarshal.GetArrayDataReference(_gfniMatrices);
            ref byte indices = ref MemoryMarshal.GetArrayDataReference(s_gfni512Indices);
            int blocks = GfniBlocks(inputLength, 8);
            for (; i + 2 <= hashes.Length; i += 2)
            {
                Vector512<byte> first = LoadGfni512(inputs.Slice(i * stride, inputLength));
                Vector512<byte> second = LoadGfni512(inputs.Slice((i + 1) * stride, inputLength));
                Vector512<ulong> sum = Vector512<ulong>.Zero;
                for (int c = 0; c < blocks; c++)
                {
                    Vector512<byte> lanes = Avx512Vbmi.PermuteVar64x8x2(first, Vector512.LoadUnsafe(ref indices, (nuint)(64 * c)), second);
                    sum ^= Gfni.V512.GaloisFieldAffineTransform(lanes, Vector512.LoadUnsafe(ref matrices, (nuint)(8 * c)).AsByte(), 0).AsUInt64();
                }

                ulong both = FoldQwords(sum);
                hashes[i] = (uint)both;
                hashes[i + 1] = (uint)(both >> 32);
            }
        }

        for (; i < hashes.Length; i++)
        {
            hashes[i] = HashGfni512(inputs.Slice(i * stride, inputLength), 0);
        }
    }

    /// <summary>The piece in bytes 0 .. length - 1, zeros above; the masked load reads nothing beyond the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<byte> LoadGfni512(ReadOnlySpan<byte> piece)
    {
        Vector512<byte> mask = Vector512.LessThan(Vector512<byte>.Indices, Vector512.Create((byte)piece.Length));
        fixed (byte* data = piece)
        {
            return Avx512BW.MaskLoad(data, mask, Vector512<byte>.Zero);
        }
    }

    private static ulong FoldQwords(Vector512<ulong> sum)
    {
        Vector256<ulong> half = sum.GetLower() ^ sum.GetUpper();
        Vector128<ulong> quarter = half.GetLower() ^ half.GetUpper();
        return quarter.GetElement(0) ^ quarter.GetElement(1);
    }

    private uint HashGfni256(ReadOnlySpan<byte> input, int offset)
    {
        uint hash = 0;
        while (input.Length > GfniPieceLength)
        {
            hash ^= HashGfni256Piece(input[..GfniPieceLength], offset);
            input = input[GfniPieceLength..];
            offset += GfniPieceLength;
        }

        return hash ^ HashGfni256Piece(input, offset);
    }

    private uint HashGfni256Piece(ReadOnlySpan<byte> piece, int offset)
    {
        Debug.Assert(_gfniMatrices is not null && piece.Length <= GfniPieceLength);
        if (piece.IsEmpty)
        {
            return 0;
        }

        // No byte-granular masked load without AVX-512: stage the piece between zeros.
        Span<byte> staged = stackalloc byte[Gfni256BufferLength];
        piece.CopyTo(staged[Gfni256Lead..]);
        ref byte window = ref Unsafe.Add(ref MemoryMarshal.GetReference(staged), Gfni256Lead - GfniLeadingZeros);
        ref ulong matrices = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gfniMatrices), offset);
        Vector256<byte> shuffle = Vector256.Create(s_gfni256Shuffle);
        Vector256<ulong> sum = Vector256<ulong>.Zero;
        for (int c = 0, blocks = GfniBlocks(piece.Length, 4); c < blocks; c++)
        {
            Vector128<byte> staging = Vector128.LoadUnsafe(ref window, (nuint)(4 * c));
            Vector256<byte> lanes = Avx2.Shuffle(Vector256.Create(staging, staging), shuffle);
            sum ^= Gfni.V256.GaloisFieldAffineTransform(lanes, Vector256.LoadUnsafe(ref matrices, (nuint)(4 * c)).AsByte(), 0).AsUInt64();
        }

        Vector128<ulong> half = sum.GetLower() ^ sum.GetUpper();
        return (uint)(half.GetElement(0) ^ half.GetElement(1));
    }
}
