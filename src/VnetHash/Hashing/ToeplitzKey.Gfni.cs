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
// partial hash in that dword; the hash is the XOR of the low dwords of all lanes (the high dwords are free for a
// second input, or hold products nobody reads). An input of n bytes uses matrices 0 .. n + 2.
//
// General layout: inputs are hashed in pieces of at most 48 bytes (linearity), so a piece plus its 3 leading zero
// bytes always fits one 64-byte register with zeros to spare; block c of eight lanes uses matrices 8c .. 8c + 7.
//
// Tuple layout (the 12- and 36-byte tuples at byte 0, which take B = 2 and 5 blocks): lane j of block c uses matrix
// c + B * j instead, so the tuple is spread once, qword lane j holding input bytes B * j - 3 .. B * j + 4, and block
// c is that spread shifted right by c bytes. One byte permute per hash instead of one per block; the matrices,
// arranged for this layout when the key is prepared, and the permute indices sit 64-byte aligned in a pinned buffer.
public sealed partial class ToeplitzKey
{
    /// <summary>Longest piece one pass hashes; longer inputs are split (their hashes XOR).</summary>
    internal const int GfniPieceLength = 48;

    /// <summary>Zero bytes in front of a piece in the 256-bit path's staging buffer.</summary>
    internal const int Gfni256Lead = 16;

    internal const int Gfni256BufferLength = Gfni256Lead + GfniPieceLength + 16;

    /// <summary>Blocks of the 12-byte tuple layout: 15 matrices.</summary>
    internal const int Gfni12Blocks = 2;

    /// <summary>Blocks of the 36-byte tuple layout: 39 matrices.</summary>
    internal const int Gfni36Blocks = 5;

    // Zero bytes that precede the input in every lane: lane j of a block starts 3 bytes before input byte j.
    private const int GfniLeadingZeros = 3;

    // Where the two permute tables of the tuple layout are read: the first holds the input's head (8 or 32 bytes,
    // then zeros), the second its last 4 bytes then zeros; a byte outside the input reads a zero of the second.
    private const int GfniSecondTable = 64;
    private const int GfniZeroByte = GfniSecondTable + 8;

    private static readonly byte[] s_gfni512Indices = BuildGfni512Indices();

    // The matrices of the general layout (BuildGfniMatrices), 64-byte aligned in a pinned buffer as the tuple layout's
    // constants are: a block of eight read at a piece's offset, a multiple of 8 bytes for every tuple piece, is then one
    // aligned 64-byte load, which never spans two cache lines or two pages. Left where the array fell, the matrices
    // (376 bytes for a 40-byte key) straddle a page about one time in eleven, and placed so, hashing other inputs
    // took 1.5 to 1.8 times as long; aligned, it is 6.5 % faster at the median of 120 processes (Zen 4).
    private readonly byte[]? _gfniMatrixBuffer;
    private readonly nint _gfniMatrices;

    // Where each 64-byte block of the tuple layout's constants sits (in blocks from the start): the matrices, 2 blocks
    // for 12 bytes then 5 for 36, then the permute indices for two inputs (one per block of each layout). The indices
    // for one input are constants in the code (Gfni12Spread).
    private const int GfniMatrices36 = Gfni12Blocks;
    private const int GfniPairSpread12 = GfniMatrices36 + Gfni36Blocks;
    private const int GfniPairSpread36 = GfniPairSpread12 + Gfni12Blocks;
    private const int GfniTupleBlocks = GfniPairSpread36 + Gfni36Blocks;

    // The tuple layout's constants, 64-byte aligned inside the pinned buffer (which never moves, so the address stays
    // valid while this key holds the buffer). Kept with the key rather than in static fields: code compiled fully
    // optimised before the class's statics are initialised (the timing loops, the batch kernels) would otherwise
    // check for that initialisation and load them through a box in every iteration.
    private readonly byte[]? _gfniTupleBuffer;
    private readonly nint _gfniTuple;

    // Marked for inlining, as IsWideClmulSupported: the frame loop tests them, and the native compiler, its budget
    // spent on that loop, left them calls that return constants, with the loop's values spilled around them.
    private static bool IsGfni256Supported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Gfni.V256.IsSupported && Avx2.IsSupported;
    }

    private static bool IsGfni512Supported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Gfni.V512.IsSupported && Avx512BW.IsSupported && Avx512Vbmi.IsSupported;
    }

    // Whether the 256-bit tuple kernels are inlined into the callers that inline kernels (Hash, the frame path): only
    // where Gfni512 cannot run. Where it can, its kernels do the same work in half the vector operations, and Auto took
    // them on every such CPU measured. Both are constants to the JIT and to Native AOT where AVX-512 is known, so there
    // the 256-bit kernels leave no code in those callers: inlined beside the others in the x86-64-v4-gfni build, they
    // made the frame loop 7 to 10 % slower on Zen 5 (docs/performance.md, "GFNI on 256-bit vectors"). There a forced
    // Gfni256 reaches them through HashTupleAt's call.
    private static bool IsGfni256Inlined
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsGfni256Supported && !IsGfni512Supported;
    }

    /// <summary>The first matrix of the general layout (see <see cref="_gfniMatrices"/>).</summary>
    private unsafe ref ulong GfniMatrix0 => ref *(ulong*)_gfniMatrices;

    /// <summary>
    /// VPERMB indices, 64 per block of eight matrices: block c, lane j, byte k &lt; 4 takes piece byte
    /// 8c + j + k - 3 (modulo 64; the three negative ones land on the zeros at 61..63); bytes k &gt;= 4 take the
    /// same bytes of a second input (index + 64) when two inputs share a pass.
    /// </summary>
    internal static ReadOnlySpan<byte> Gfni512Indices => s_gfni512Indices;

    /// <summary>
    /// VPERMT2B indices of the 12-byte tuple layout: the first table holds input bytes 0..7, the second bytes 8..11,
    /// each followed by zeros; qword lane j takes input bytes 2j - 3 .. 2j + 4 (<see cref="BuildGfniTupleSpread"/>,
    /// which a test holds these to).
    /// </summary>
    // Written out as constants, which the JIT keeps in the code's read-only data: the permute then waits for no load
    // but the tuple's own; read from the key's buffer, it first waited for the buffer's address. Marked for inlining:
    // the path chooser's fully optimised loops called the getter otherwise.
    internal static Vector512<byte> Gfni12Spread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(
            0x0403020100484848UL, 0x0605040302010048, 0x4007060504030201, 0x4241400706050403,
            0x4843424140070605, 0x4848484342414007, 0x4848484848434241, 0x4848484848484843).AsByte();
    }

    /// <summary>The same for the 36-byte tuple: first table bytes 0..31, second bytes 32..35; lane j takes bytes 5j - 3 .. 5j + 4.</summary>
    internal static Vector512<byte> Gfni36Spread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(
            0x0403020100484848UL, 0x0908070605040302, 0x0E0D0C0B0A090807, 0x131211100F0E0D0C,
            0x1817161514131211, 0x1D1C1B1A19181716, 0x4241401F1E1D1C1B, 0x4848484843424140).AsByte();
    }

    /// <summary>Blocks of <paramref name="lanes"/> matrices a piece of <paramref name="length"/> bytes needs.</summary>
    internal static int GfniBlocks(int length, int lanes) => (length + GfniLeadingZeros + lanes - 1) / lanes;

    /// <summary>
    /// The matrices of <paramref name="key"/>: qword i, byte j = key bits 8i + j .. 8i + j + 7 (most significant
    /// first), zero beyond the key; padded so the last block of the longest input reads whole vectors.
    /// </summary>
    internal static ulong[] BuildGfniMatrices(ReadOnlySpan<byte> key)
    {
        byte[] keyBytes = key.ToArray();
        var matrices = new ulong[Math.Max(key.Length - WindowBytes + GfniLeadingZeros + 8, 8 * Gfni36Blocks)];
        for (int i = 0; i < matrices.Length; i++)
        {
            ulong window = KeyWindow(keyBytes, 8 * i);
            ulong matrix = 0;
            for (int j = 0; j < 8; j++)
            {
                matrix |= (window << j >> 56) << (8 * j);
            }

            matrices[i] = matrix;
        }

        return matrices;
    }

    /// <summary>The matrices of block <paramref name="block"/> of the tuple layout with <paramref name="blocks"/> blocks: lane j uses matrix block + blocks * j.</summary>
    internal static ulong[] GfniTupleBlock(ulong[] matrices, int blocks, int block)
    {
        var lanes = new ulong[8];
        for (int j = 0; j < lanes.Length; j++)
        {
            lanes[j] = matrices[block + (blocks * j)];
        }

        return lanes;
    }

    /// <summary>
    /// Permute indices of the tuple layout with <paramref name="blocks"/> blocks for an input of
    /// <paramref name="length"/> bytes whose first <paramref name="head"/> bytes sit in the first table and the rest in
    /// the second. With <paramref name="pairBlock"/> = -1, one input: lane j takes bytes blocks * j - 3 .. blocks * j + 4.
    /// Otherwise two inputs for block <paramref name="pairBlock"/>: the low dword of lane j takes the first input's bytes
    /// pairBlock + blocks * j - 3 .. + 3, the high dword the second's; the first table holds both heads one after the
    /// other, the second both tails.
    /// </summary>
    internal static byte[] BuildGfniTupleSpread(int blocks, int length, int head, int pairBlock)
    {
        byte[] indices = new byte[64];
        for (int j = 0; j < 8; j++)
        {
            for (int k = 0; k < 8; k++)
            {
                int source = pairBlock < 0 ? (blocks * j) + k - GfniLeadingZeros : pairBlock + (blocks * j) + (k & 3) - GfniLeadingZeros;
                int input = pairBlock < 0 ? 0 : k >> 2;
                indices[(8 * j) + k] = (byte)(source < 0 || source >= length ? GfniZeroByte
                    : source < head ? (input * head) + source
                    : GfniSecondTable + (input * (length - head)) + source - head);
            }
        }

        return indices;
    }

    /// <summary>A pinned buffer with room for <paramref name="length"/> bytes from its 64-byte aligned start <paramref name="aligned"/>.</summary>
    private static unsafe byte[] AllocateAligned(int length, out nint aligned)
    {
        byte[] buffer = GC.AllocateArray<byte>(length + 63, pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        aligned = (start + 63) & ~(nint)63;
        return buffer;
    }

    /// <summary><paramref name="matrices"/> copied into a pinned buffer; <paramref name="aligned"/> is their 64-byte aligned start.</summary>
    private static unsafe byte[] PinGfniMatrices(ulong[] matrices, out nint aligned)
    {
        byte[] buffer = AllocateAligned(8 * matrices.Length, out aligned);
        MemoryMarshal.AsBytes(matrices.AsSpan()).CopyTo(new Span<byte>((void*)aligned, 8 * matrices.Length));
        return buffer;
    }

    /// <summary>The tuple layout's constants in a pinned buffer; <paramref name="aligned"/> is their 64-byte aligned start.</summary>
    private static unsafe byte[] BuildGfniTupleConstants(ulong[] matrices, out nint aligned)
    {
        byte[] buffer = AllocateAligned(64 * GfniTupleBlocks, out aligned);
        var blocks = new Span<byte>((void*)aligned, 64 * GfniTupleBlocks);
        for (int c = 0; c < Gfni12Blocks; c++)
        {
            MemoryMarshal.AsBytes(GfniTupleBlock(matrices, Gfni12Blocks, c).AsSpan()).CopyTo(blocks[(64 * c)..]);
            BuildGfniTupleSpread(Gfni12Blocks, HashInput.IPv4WithPortsLength, IPv4AddressesLength, c).CopyTo(blocks[(64 * (GfniPairSpread12 + c))..]);
        }

        for (int c = 0; c < Gfni36Blocks; c++)
        {
            MemoryMarshal.AsBytes(GfniTupleBlock(matrices, Gfni36Blocks, c).AsSpan()).CopyTo(blocks[(64 * (GfniMatrices36 + c))..]);
            BuildGfniTupleSpread(Gfni36Blocks, HashInput.IPv6WithPortsLength, IPv6AddressesLength, c).CopyTo(blocks[(64 * (GfniPairSpread36 + c))..]);
        }

        return buffer;
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

    /// <summary>
    /// The 12-byte tuple: input bytes 0..7 at <paramref name="head"/>, 8..11 at <paramref name="tail"/>;
    /// <paramref name="matrices"/> is the layout's first block (<see cref="_gfni12Matrices"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe uint HashGfni12(byte* matrices, ref byte head, ref byte tail)
    {
        Vector512<ulong> spread = Avx512Vbmi.PermuteVar64x8x2(
            Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref head)).AsByte().ToVector256Unsafe().ToVector512Unsafe(),
            Gfni12Spread,
            Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref tail)).AsByte().ToVector256Unsafe().ToVector512Unsafe()).AsUInt64();
        return FoldLowDwords(Affine(spread, matrices) ^ Affine(spread >>> 8, matrices + 64));
    }

    /// <summary>The 36-byte tuple: input bytes 0..31 at <paramref name="head"/>, 32..35 at <paramref name="tail"/>; as <see cref="HashGfni12"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe uint HashGfni36(byte* matrices, ref byte head, ref byte tail)
    {
        Vector512<ulong> spread = Avx512Vbmi.PermuteVar64x8x2(
            Vector256.LoadUnsafe(ref head).ToVector512Unsafe(),
            Gfni36Spread,
            Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref tail)).AsByte().ToVector256Unsafe().ToVector512Unsafe()).AsUInt64();
        return FoldLowDwords(
            Affine(spread, matrices) ^ Affine(spread >>> 8, matrices + 64) ^ Affine(spread >>> 16, matrices + 128)
            ^ Affine(spread >>> 24, matrices + 192) ^ Affine(spread >>> 32, matrices + 256));
    }

    /// <summary>
    /// The 12-byte tuple on 256-bit vectors (GFNI with AVX2, without AVX-512): input bytes 0..7 at
    /// <paramref name="head"/>, 8..11 at <paramref name="tail"/>; <paramref name="matrices"/> is the general layout's
    /// first matrix.
    /// </summary>
    // Without a byte permute across the two 128-bit halves, each group of four lanes takes its bytes with VPSHUFB from
    // a 16-byte window of the tuple held in both halves. Group k uses matrices 4k .. 4k + 3 of the general layout, in
    // order, and lane j of it holds input bytes 4k + j - 3 .. 4k + j (Gfni256Window).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe uint HashGfni256Tuple12(byte* matrices, ref byte head, ref byte tail)
    {
        Vector128<byte> tuple = Sse41.Insert(
            Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref head)).AsUInt32(), Unsafe.ReadUnaligned<uint>(ref tail), 2).AsByte();
        Vector256<byte> window = Vector256.Create(tuple);
        return FoldLowDwords(
            Affine(window, Gfni256Window(-3), matrices) ^ Affine(window, Gfni256Window(1), matrices + 32)
            ^ Affine(window, Gfni256Window(5), matrices + 64) ^ Affine(window, Gfni256Window(9), matrices + 96));
    }

    /// <summary>The 36-byte tuple on 256-bit vectors: input bytes 0..31 at <paramref name="head"/>, 32..35 at <paramref name="tail"/>; as <see cref="HashGfni256Tuple12"/>.</summary>
    // Three windows: bytes 0..15 for groups 0 to 3, 13..28 for groups 4 to 6, 20..35 for groups 7 to 9.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe uint HashGfni256Tuple36(byte* matrices, ref byte head, ref byte tail)
    {
        Vector256<byte> first = Vector256.Create(Vector128.LoadUnsafe(ref head));
        Vector256<byte> middle = Vector256.Create(Vector128.LoadUnsafe(ref head, 13));
        Vector128<byte> ports = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref tail)).AsByte();
        Vector256<byte> last = Vector256.Create(Ssse3.AlignRight(ports, Vector128.LoadUnsafe(ref head, 16), 4));
        return FoldLowDwords(
            Affine(first, Gfni256Window(-3), matrices) ^ Affine(first, Gfni256Window(1), matrices + 32)
            ^ Affine(first, Gfni256Window(5), matrices + 64) ^ Affine(first, Gfni256Window(9), matrices + 96)
            ^ Affine(middle, Gfni256Window(0), matrices + 128) ^ Affine(middle, Gfni256Window(4), matrices + 160)
            ^ Affine(middle, Gfni256Window(8), matrices + 192) ^ Affine(last, Gfni256Window(5), matrices + 224)
            ^ Affine(last, Gfni256Window(9), matrices + 256) ^ Affine(last, Gfni256Window(13), matrices + 288));
    }

    /// <summary>
    /// VPSHUFB indices for group k of four lanes when its first byte, input byte 4k - 3, lies <paramref name="shift"/>
    /// bytes into the window (negative: before it): lane j takes window bytes j + shift .. j + shift + 3 into its low
    /// dword, zero where that falls outside the window, and zeros above (<see cref="BuildGfni256Window"/>, which a test
    /// holds these to).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<byte> Gfni256Window(int shift) => shift switch
    {
        -3 => Vector256.Create(0x8080808000808080UL, 0x8080808001008080, 0x8080808002010080, 0x8080808003020100).AsByte(),
        0 => Vector256.Create(0x8080808003020100UL, 0x8080808004030201, 0x8080808005040302, 0x8080808006050403).AsByte(),
        1 => Vector256.Create(0x8080808004030201UL, 0x8080808005040302, 0x8080808006050403, 0x8080808007060504).AsByte(),
        4 => Vector256.Create(0x8080808007060504UL, 0x8080808008070605, 0x8080808009080706, 0x808080800A090807).AsByte(),
        5 => Vector256.Create(0x8080808008070605UL, 0x8080808009080706, 0x808080800A090807, 0x808080800B0A0908).AsByte(),
        8 => Vector256.Create(0x808080800B0A0908UL, 0x808080800C0B0A09, 0x808080800D0C0B0A, 0x808080800E0D0C0B).AsByte(),
        9 => Vector256.Create(0x808080800C0B0A09UL, 0x808080800D0C0B0A, 0x808080800E0D0C0B, 0x808080800F0E0D0C).AsByte(),
        13 => Vector256.Create(0x80808080800F0E0DUL, 0x8080808080800F0E, 0x808080808080800F, 0x8080808080808080).AsByte(),
        _ => throw new ArgumentOutOfRangeException(nameof(shift)),
    };

    /// <summary>What <see cref="Gfni256Window"/> holds for <paramref name="shift"/>, built from its definition.</summary>
    internal static byte[] BuildGfni256Window(int shift)
    {
        var indices = new byte[32];
        for (int j = 0; j < 4; j++)
        {
            for (int k = 0; k < 8; k++)
            {
                int source = j + k + shift;
                indices[(8 * j) + k] = k < 4 && source is >= 0 and < 16 ? (byte)source : (byte)0x80;
            }
        }

        return indices;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<byte> Affine(Vector256<byte> window, Vector256<byte> indices, byte* matrices) =>
        Gfni.V256.GaloisFieldAffineTransform(Avx2.Shuffle(window, indices), Vector256.Load(matrices), 0);

    /// <summary>The XOR of the low dwords of all qword lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FoldLowDwords(Vector256<byte> sum)
    {
        Vector128<ulong> half = Avx2.ExtractVector128(sum.AsUInt64(), 1) ^ sum.AsUInt64().GetLower();
        return (uint)(half.ToScalar() ^ half.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<byte> Affine(Vector512<ulong> lanes, byte* matrices) =>
        Gfni.V512.GaloisFieldAffineTransform(lanes.AsByte(), Vector512.Load(matrices), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Affine(Vector512<byte> lanes, ref ulong matrices) =>
        Gfni.V512.GaloisFieldAffineTransform(lanes, Vector512.LoadUnsafe(ref matrices).AsByte(), 0);

    /// <summary>The XOR of the low dwords of all qword lanes.</summary>
    // The whole qwords are folded and the high dword dropped at the end: moving both qwords of the last 128 bits out
    // and XORing them in a general register is cheaper than a vector byte shift and XOR (Zen 5; docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FoldLowDwords(Vector512<byte> sum) => (uint)FoldQwords(sum);

    /// <summary>The XOR of all qword lanes: two inputs' hashes, the first in the low dword.</summary>
    // The upper halves are extracted before the lower ones are named: the other way round, the JIT copied each lower
    // half to another register first.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong FoldQwords(Vector512<byte> sum)
    {
        Vector256<ulong> half = Avx512F.ExtractVector256(sum.AsUInt64(), 1) ^ sum.AsUInt64().GetLower();
        Vector128<ulong> quarter = Avx2.ExtractVector128(half, 1) ^ half.GetLower();
        return quarter.ToScalar() ^ quarter.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint HashGfni512(ReadOnlySpan<byte> input, int offset)
    {
        Debug.Assert(_gfniMatrices != 0);
        uint hash = 0;
        while (input.Length > GfniPieceLength)
        {
            hash ^= HashGfni512Piece(input[..GfniPieceLength], offset);
            input = input[GfniPieceLength..];
            offset += GfniPieceLength;
        }

        return KeptAlive(hash ^ HashGfni512Piece(input, offset), this);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashGfni512Piece(ReadOnlySpan<byte> piece, int offset)
    {
        if (piece.IsEmpty)
        {
            return 0;
        }

        // Block c's indices are block 0's plus 8c: VPERMB reads only the low 6 bits, so the three leading indices
        // (61..63, zeros of the masked load) become input bytes from block 1 on. High dwords take bytes the fold
        // leaves out.
        Vector512<byte> bytes = LoadGfni512(piece);
        Vector512<byte> indices = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(s_gfni512Indices));
        ref ulong matrices = ref Unsafe.Add(ref GfniMatrix0, offset);
        Vector512<byte> sum = Vector512<byte>.Zero;
        for (int c = 0, blocks = GfniBlocks(piece.Length, 8); c < blocks; c++)
        {
            sum ^= Affine(Avx512Vbmi.PermuteVar64x8(bytes, indices), ref Unsafe.Add(ref matrices, 8 * c));
            indices += Vector512.Create((byte)8);
        }

        return FoldLowDwords(sum);
    }

    // The tuple on the 256-bit kernels, the key kept alive past them. Every caller passes a constant length, so the
    // choice of kernel folds away where this is inlined: into Hash and the frame path where Gfni512 cannot run, into
    // HashTupleAt's call elsewhere (a CPU that also runs Gfni512, with Gfni256 forced).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe uint HashGfni256Tuple(ref byte head, int headLength, ref byte tail)
    {
        Debug.Assert(headLength is IPv4AddressesLength or IPv6AddressesLength);
        return KeptAlive(
            headLength == IPv4AddressesLength ? HashGfni256Tuple12((byte*)_gfniMatrices, ref head, ref tail) : HashGfni256Tuple36((byte*)_gfniMatrices, ref head, ref tail),
            this);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void HashBatchGfni256(ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        Debug.Assert(_gfniMatrices != 0);
        byte* matrices = (byte*)_gfniMatrices;
        ref byte data = ref MemoryMarshal.GetReference(inputs);
        for (int i = 0; i < hashes.Length; i++)
        {
            ref byte input = ref Unsafe.Add(ref data, (nint)i * stride);
            hashes[i] = inputLength == HashInput.IPv4WithPortsLength ? HashGfni256Tuple12(matrices, ref input, ref Unsafe.Add(ref input, IPv4AddressesLength))
                : inputLength == HashInput.IPv6WithPortsLength ? HashGfni256Tuple36(matrices, ref input, ref Unsafe.Add(ref input, IPv6AddressesLength))
                : HashGfni256(inputs.Slice(i * stride, inputLength), 0);
        }

        GC.KeepAlive(this);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HashBatchGfni512(ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        Debug.Assert(_gfniMatrices != 0);
        int i = 0;
        ref byte data = ref MemoryMarshal.GetReference(inputs);
        ref uint output = ref MemoryMarshal.GetReference(hashes);
        if (inputLength == HashInput.IPv4WithPortsLength)
        {
            for (; i + 2 <= hashes.Length; i += 2)
            {
                ref byte first = ref Unsafe.Add(ref data, (nint)i * stride);
                ref byte second = ref Unsafe.Add(ref first, stride);
                Unsafe.WriteUnaligned(ref Unsafe.As<uint, byte>(ref Unsafe.Add(ref output, i)), HashGfni12Pair(ref first, ref second));
            }
        }
        else if (inputLength == HashInput.IPv6WithPortsLength)
        {
            for (; i + 2 <= hashes.Length; i += 2)
            {
                ref byte first = ref Unsafe.Add(ref data, (nint)i * stride);
                ref byte second = ref Unsafe.Add(ref first, stride);
                Unsafe.WriteUnaligned(ref Unsafe.As<uint, byte>(ref Unsafe.Add(ref output, i)), HashGfni36Pair(ref first, ref second));
            }
        }
        else if (inputLength is > 0 and <= GfniPieceLength)
        {
            // Two inputs per pass of the general layout: the first in the low dword of every lane, the second in the high dword.
            ref ulong matrices = ref GfniMatrix0;
            ref byte indices = ref MemoryMarshal.GetArrayDataReference(s_gfni512Indices);
            int blocks = GfniBlocks(inputLength, 8);
            for (; i + 2 <= hashes.Length; i += 2)
            {
                Vector512<byte> first = LoadGfni512(inputs.Slice(i * stride, inputLength));
                Vector512<byte> second = LoadGfni512(inputs.Slice((i + 1) * stride, inputLength));
                Vector512<byte> sum = Vector512<byte>.Zero;
                for (int c = 0; c < blocks; c++)
                {
                    sum ^= Affine(Avx512Vbmi.PermuteVar64x8x2(first, Vector512.LoadUnsafe(ref indices, (nuint)(64 * c)), second), ref Unsafe.Add(ref matrices, 8 * c));
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

        GC.KeepAlive(this);
    }

    /// <summary>Two 12-byte tuples: the first hash in the low dword, the second in the high dword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe ulong HashGfni12Pair(ref byte first, ref byte second)
    {
        Vector512<byte> heads = Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref first), Unsafe.ReadUnaligned<ulong>(ref second)).AsByte().ToVector256Unsafe().ToVector512Unsafe();
        Vector512<byte> tails = Vector128.Create(
            Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, IPv4AddressesLength)),
            Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref second, IPv4AddressesLength)),
            0,
            0).AsByte().ToVector256Unsafe().ToVector512Unsafe();
        byte* matrices = (byte*)_gfniTuple;
        byte* spreads = matrices + (64 * GfniPairSpread12);
        return FoldQwords(
            Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads), tails).AsUInt64(), matrices)
            ^ Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads + 64), tails).AsUInt64(), matrices + 64));
    }

    /// <summary>Two 36-byte tuples: the first hash in the low dword, the second in the high dword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe ulong HashGfni36Pair(ref byte first, ref byte second)
    {
        Vector512<byte> heads = Vector512.Create(Vector256.LoadUnsafe(ref first), Vector256.LoadUnsafe(ref second));
        Vector512<byte> tails = Vector128.Create(
            Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, IPv6AddressesLength)),
            Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref second, IPv6AddressesLength)),
            0,
            0).AsByte().ToVector256Unsafe().ToVector512Unsafe();
        byte* matrices = (byte*)_gfniTuple + (64 * GfniMatrices36);
        byte* spreads = (byte*)_gfniTuple + (64 * GfniPairSpread36);
        return FoldQwords(
            Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads), tails).AsUInt64(), matrices)
            ^ Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads + 64), tails).AsUInt64(), matrices + 64)
            ^ Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads + 128), tails).AsUInt64(), matrices + 128)
            ^ Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads + 192), tails).AsUInt64(), matrices + 192)
            ^ Affine(Avx512Vbmi.PermuteVar64x8x2(heads, Vector512.Load(spreads + 256), tails).AsUInt64(), matrices + 256));
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint HashGfni256(ReadOnlySpan<byte> input, int offset)
    {
        uint hash = 0;
        while (input.Length > GfniPieceLength)
        {
            hash ^= HashGfni256Piece(input[..GfniPieceLength], offset);
            input = input[GfniPieceLength..];
            offset += GfniPieceLength;
        }

        return KeptAlive(hash ^ HashGfni256Piece(input, offset), this);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint HashGfni256Piece(ReadOnlySpan<byte> piece, int offset)
    {
        Debug.Assert(_gfniMatrices != 0 && piece.Length <= GfniPieceLength);
        if (piece.IsEmpty)
        {
            return 0;
        }

        // No byte-granular masked load without AVX-512: stage the piece between zeros.
        Span<byte> staged = stackalloc byte[Gfni256BufferLength];
        piece.CopyTo(staged[Gfni256Lead..]);
        ref byte window = ref Unsafe.Add(ref MemoryMarshal.GetReference(staged), Gfni256Lead - GfniLeadingZeros);
        ref ulong matrices = ref Unsafe.Add(ref GfniMatrix0, offset);
        // Both 128-bit halves hold the 16 staged bytes from 3 before the block's first input byte: the window of shift 0.
        Vector256<byte> shuffle = Gfni256Window(0);
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
