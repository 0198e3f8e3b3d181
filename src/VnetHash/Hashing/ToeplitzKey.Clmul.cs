using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace VnetHash.Hashing;

// Carry-less multiply path. Read an 8-byte input chunk starting at key bit T big-endian, so input bit T + u is the
// coefficient of x^(63 - u), and a key window bit-reversed, R(o) = sum of key bit (o + s) * x^s for s in 0..63.
// In their product, hash bit i (0 = most significant) collects exactly the pairs with key bit = input bit + i at
// x^(63 + i + T - o). Two windows split those pairs without overlap:
//   R(T - 1)  covers u + i <= 62 and lands hash bit i at x^(64 + i): dword 2 of the 128-bit product ("first");
//   R(T + 63) covers u + i >= 63 and lands it at x^i: dword 0 ("second").
// A chunk holding at most 4 input bytes (u <= 31) needs only the first window. The hash is dword 2 of
// first ^ (second << 64) with its 32 bits reversed. One PCLMULQDQ per 4 input bytes, one bit reversal per hash.
// On ARM64 the 128-bit forms run on PMULL/PMULL2 and TBL (the helpers at the end); the 256-bit forms are x64's.
public sealed partial class ToeplitzKey
{
    // R(64m + 8r - 1) at [r * _clmulStride + m]: for a piece starting at byte b, every chunk has residue r = b % 8,
    // so chunk j takes the pair (m + j, m + j + 1) with m = b / 8, and 32-byte blocks take four pairs in one load.
    private readonly ulong[]? _clmulWindows;
    private readonly int _clmulStride;

    // The windows of the tuple kernels (pieces at byte 0), kept in the object so a hash loads them with no array
    // access: R(-1), R(63) | R(127), R(191) ("A"), R(63), R(127) | R(191), R(255) ("B") and R(255), R(319) (tail).
    private readonly Vector256<ulong> _tupleWindowsA;
    private readonly Vector256<ulong> _tupleWindowsB;
    private readonly Vector128<ulong> _tupleTailWindows;

    // The single 12-byte tuple uses the mirrored form, cheaper for one short input: reverse the bits of each input
    // byte and read chunks little-endian (input bit T + u is the coefficient of x^u), and read key windows
    // big-endian, W(o) = sum of key bit (o + s) * x^(63 - s). Hash bit i then lands at x^(63 - i + o - T), already
    // in hash order: W(T - 32) covers u + i <= 31 into dword 0, W(T + 32) covers u + i >= 32 into dword 2.
    // Held as W(-32), W(32) and W(32), W(64).
    private readonly Vector128<ulong> _mirroredWindows;
    private readonly Vector128<ulong> _mirroredTailWindows;

    private static bool IsClmulSupported =>
        (Pclmulqdq.IsSupported && Ssse3.IsSupported && Sse41.IsSupported) || (AdvSimd.Arm64.IsSupported && ArmAes.IsSupported);

    // Marked for inlining: in the frame path's loop, which inlines much, the native compiler once left this a call
    // that returned a constant, and the loop spilled its registers around it.
    private static bool IsWideClmulSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Pclmulqdq.V256.IsSupported && Avx2.IsSupported;
    }

    private static Vector128<byte> ByteSwapQwords
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create((byte)7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    }

    // Per lane: bytes 0..7 big-endian in qword 0; bytes 8..11 big-endian at the top of qword 1, bytes 12..15 dropped.
    private static Vector256<byte> ByteSwap12
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(
            (byte)7, 6, 5, 4, 3, 2, 1, 0, 0x80, 0x80, 0x80, 0x80, 11, 10, 9, 8,
            7, 6, 5, 4, 3, 2, 1, 0, 0x80, 0x80, 0x80, 0x80, 11, 10, 9, 8);
    }

    // Nibble n reversed, placed in the high and in the low nibble of a byte.
    private static Vector128<byte> ReversedNibblesHigh
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(
            (byte)0x00, 0x80, 0x40, 0xC0, 0x20, 0xA0, 0x60, 0xE0, 0x10, 0x90, 0x50, 0xD0, 0x30, 0xB0, 0x70, 0xF0);
    }

    private static Vector128<byte> ReversedNibblesLow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(
            (byte)0x0, 0x8, 0x4, 0xC, 0x2, 0xA, 0x6, 0xE, 0x1, 0x9, 0x5, 0xD, 0x3, 0xB, 0x7, 0xF);
    }

    private static ulong[] BuildClmulWindows(byte[] key, out int stride)
    {
        // A piece ends by byte MaxInputLength; a 32-byte block reads four pairs ahead of its first chunk.
        stride = ((key.Length - WindowBytes + 7) / 8) + 5;
        var windows = new ulong[8 * stride];
        for (int r = 0; r < 8; r++)
        {
            for (int m = 0; m < stride; m++)
            {
                windows[(r * stride) + m] = ReverseBits(KeyWindow(key, (64 * m) + (8 * r) - 1));
            }
        }

        return windows;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ulong ClmulWindow(int byteOffset)
    {
        Debug.Assert(_clmulWindows is not null);
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_clmulWindows), ((byteOffset & 7) * _clmulStride) + (byteOffset >> 3));
    }

    /// <summary>Hashes 12 bytes at offset 0: input bytes 0..7 at <paramref name="head"/>, 8..11 at <paramref name="tail"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashClmul12(ref byte head, ref byte tail)
    {
        // Bytes 0..7 in bytes 0..7, bytes 8..11 in bytes 12..15 (the top half of a chunk at byte 4), zeros between.
        Vector128<uint> head64 = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref head)).AsUInt32();
        uint tail32 = Unsafe.ReadUnaligned<uint>(ref tail);
        Vector128<uint> tuple = AdvSimd.Arm64.IsSupported ? head64.WithElement(3, tail32) : Sse41.Insert(head64, tail32, 3);

        // Mirrored form (see _mirroredWindows): chunk 0 takes W(-32) into dword 0 and W(32) into dword 2; bytes 8..11,
        // the top half of a chunk at byte 4, need only W(64), into dword 2.
        Vector128<ulong> chunks = ReverseBitsInBytes(tuple.AsByte()).AsUInt64();
        Vector128<ulong> low = CarrylessMultiply(chunks, _mirroredWindows, 0x00);
        Vector128<ulong> high = CarrylessMultiply(chunks, _mirroredWindows, 0x10) ^ CarrylessMultiply(chunks, _mirroredTailWindows, 0x11);
        return (low ^ UpperToLower(high)).AsUInt32().ToScalar();
    }


    private static ulong ReverseBits(ulong value)
    {
        value = ((value >> 1) & 0x5555555555555555) | ((value & 0x5555555555555555) << 1);
        value = ((value >> 2) & 0x3333333333333333) | ((value & 0x3333333333333333) << 2);
        value = ((value >> 4) & 0x0F0F0F0F0F0F0F0F) | ((value & 0x0F0F0F0F0F0F0F0F) << 4);
        return BinaryPrimitives.ReverseEndianness(value);
    }

    /// <summary>
    /// Hashes 32 bytes at <paramref name="head"/> followed by the 4 bytes at <paramref name="tail"/>: the two 16-byte
    /// halves in the two lanes of one 256-bit multiply where the CPU has it, one after the other in 128 bits elsewhere
    /// (ARM64, x64 without VPCLMULQDQ or AVX2, and the portable Native AOT build, compiled for a baseline without AVX2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashClmul36(ref byte head, ref byte tail)
    {
        if (!IsWideClmulSupported)
        {
            return HashClmul36Narrow(ref head, ref tail);
        }

        Vector256<ulong> both = HashClmul32Lanes(Vector256.LoadUnsafe(ref head), _tupleWindowsA, _tupleWindowsB);
        return ReverseDword2(both.GetLower() ^ both.GetUpper() ^ HashClmulPorts(ref tail));
    }

    // Inlined, as the 256-bit form is. As a call it sat in the frame loop, which then kept its values in memory across
    // it, and in the x86-64-v3 Native AOT build, where VPCLMULQDQ is tested at run time, it did so on CPUs that never
    // take it: inlined, IPv6 frames took 6.25 instead of 7.10 ns under the JIT without VPCLMULQDQ, and the x86-64-v3
    // build's IPv4 frames 3.75 instead of 3.98 ns, on Zen 5 (docs/performance.md, "The 36-byte kernels in the frame
    // loop"). Earlier callers spilled with it inlined and made the 12-byte tuple a third slower; today's do not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashClmul36Narrow(ref byte head, ref byte tail)
    {
        Vector128<ulong> halves = HashClmul16(Vector128.LoadUnsafe(ref head), _tupleWindowsA.GetLower(), _tupleWindowsB.GetLower())
            ^ HashClmul16(Vector128.LoadUnsafe(ref head, 16), _tupleWindowsA.GetUpper(), _tupleWindowsB.GetUpper());
        return ReverseDword2(halves ^ HashClmulPorts(ref tail));
    }

    /// <summary>Bytes 32..35 of a 36-byte tuple (the ports) at <paramref name="tail"/>: their part of the hash in dword 2, bits reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<ulong> HashClmulPorts(ref byte tail)
    {
        Vector128<ulong> last = Vector128.CreateScalar((ulong)BinaryPrimitives.ReadUInt32BigEndian(MemoryMarshal.CreateReadOnlySpan(ref tail, PortsLength)) << 32);
        return CarrylessMultiply(last, _tupleTailWindows, 0x00);
    }

    /// <summary>16 bytes of a piece whose chunks take the window pairs (A, B); dword 2 holds their part of the hash, bits reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> HashClmul16(Vector128<byte> input, Vector128<ulong> windowsA, Vector128<ulong> windowsB)
    {
        Vector128<ulong> chunks = ShuffleBytes(input, ByteSwapQwords).AsUInt64();
        Vector128<ulong> first = CarrylessMultiply(chunks, windowsA, 0x00) ^ CarrylessMultiply(chunks, windowsB, 0x01);
        Vector128<ulong> second = CarrylessMultiply(chunks, windowsA, 0x10) ^ CarrylessMultiply(chunks, windowsB, 0x11);
        return first ^ LowerToUpper(second);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint HashClmul(ReadOnlySpan<byte> input, int offset)
    {
        Debug.Assert(offset + input.Length <= MaxInputLength);
        int length = input.Length;
        ref byte data = ref MemoryMarshal.GetReference(input);
        ref ulong window = ref ClmulWindow(offset);
        Vector128<ulong> first = Vector128<ulong>.Zero;
        Vector128<ulong> second = Vector128<ulong>.Zero;
        int position = 0;

        if (IsWideClmulSupported && length >= 32)
        {
            Vector256<byte> byteSwap = Vector256.Create(ByteSwapQwords);
            Vector256<ulong> first256 = Vector256<ulong>.Zero;
            Vector256<ulong> second256 = Vector256<ulong>.Zero;
            do
            {
                Vector256<ulong> chunks = Avx2.Shuffle(Vector256.LoadUnsafe(ref data, (nuint)position), byteSwap).AsUInt64();
                Vector256<ulong> windowsA = Vector256.LoadUnsafe(ref window);
                Vector256<ulong> windowsB = Vector256.LoadUnsafe(ref window, 1);
                first256 ^= Pclmulqdq.V256.CarrylessMultiply(chunks, windowsA, 0x00) ^ Pclmulqdq.V256.CarrylessMultiply(chunks, windowsB, 0x01);
                second256 ^= Pclmulqdq.V256.CarrylessMultiply(chunks, windowsA, 0x10) ^ Pclmulqdq.V256.CarrylessMultiply(chunks, windowsB, 0x11);
                position += 32;
                window = ref Unsafe.Add(ref window, 4);
            }
            while (length - position >= 32);

            first = first256.GetLower() ^ first256.GetUpper();
            second = second256.GetLower() ^ second256.GetUpper();
        }

        while (length - position >= 16)
        {
            // HashClmul16 gives the block's part already combined (its second product moved up a qword); the move is
            // linear, so that part joins first here rather than second.
            first ^= HashClmul16(Vector128.LoadUnsafe(ref data, (nuint)position), Vector128.LoadUnsafe(ref window), Vector128.LoadUnsafe(ref window, 1));
            position += 16;
            window = ref Unsafe.Add(ref window, 2);
        }

        if (length - position >= 8)
        {
            Vector128<ulong> chunk = Vector128.CreateScalar(BinaryPrimitives.ReadUInt64BigEndian(input[position..]));
            Vector128<ulong> windows = Vector128.LoadUnsafe(ref window);
            first ^= CarrylessMultiply(chunk, windows, 0x00);
            second ^= CarrylessMultiply(chunk, windows, 0x10);
            position += 8;
            window = ref Unsafe.Add(ref window, 1);
        }

        int remaining = length - position;
        if (remaining > 0)
        {
            // The last 1..7 bytes at the top of a chunk, zeros below: re-read the last 8 bytes when there are that
            // many and shift the ones already hashed out.
            ulong tail;
            if (length >= 8)
            {
                tail = BinaryPrimitives.ReadUInt64BigEndian(input[(length - 8)..]) << (8 * (8 - remaining));
            }
            else
            {
                tail = 0;
                for (int i = 0; i < remaining; i++)
                {
                    tail |= (ulong)input[position + i] << (56 - (8 * i));
                }
            }

            Vector128<ulong> chunk = Vector128.CreateScalar(tail);
            Vector128<ulong> windows = Vector128.LoadUnsafe(ref window);
            first ^= CarrylessMultiply(chunk, windows, 0x00);
            if (remaining > 4)
            {
                second ^= CarrylessMultiply(chunk, windows, 0x10);
            }
        }

        return ReverseDword2(first ^ LowerToUpper(second));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HashBatchClmul(ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        int i = 0;
        if (inputLength == HashInput.IPv4WithPortsLength && IsWideClmulSupported)
        {
            // Four inputs per pass, each read as 16 bytes: only while the last of the four has 16 readable bytes.
            ref byte data = ref MemoryMarshal.GetReference(inputs);
            ref uint output = ref MemoryMarshal.GetReference(hashes);
            Vector256<ulong> windows = Vector256.Create(_tupleWindowsA.GetLower());
            for (; i + 4 <= hashes.Length && ((long)(i + 3) * stride) + 16 <= inputs.Length; i += 4)
            {
                ref byte at = ref Unsafe.Add(ref data, (nint)i * stride);
                Vector256<byte> pair01 = Vector256.Create(Vector128.LoadUnsafe(ref at), Vector128.LoadUnsafe(ref Unsafe.Add(ref at, stride)));
                Vector256<byte> pair23 = Vector256.Create(
                    Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 2 * stride)),
                    Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 3 * stride)));
                StoreHashes(HashClmul12Pair(pair01, windows), HashClmul12Pair(pair23, windows), ref Unsafe.Add(ref output, i));
            }
        }

        if (inputLength == HashInput.IPv6WithPortsLength && IsWideClmulSupported)
        {
            ref byte data = ref MemoryMarshal.GetReference(inputs);
            ref uint output = ref MemoryMarshal.GetReference(hashes);
            Vector256<ulong> windowsA = _tupleWindowsA;
            Vector256<ulong> windowsB = _tupleWindowsB;
            Vector256<ulong> tailWindows = Vector256.Create(_tupleTailWindows);
            for (; i + 4 <= hashes.Length; i += 4)
            {
                ref byte at = ref Unsafe.Add(ref data, (nint)i * stride);
                StoreHashes(
                    HashClmul36Pair(ref at, ref Unsafe.Add(ref at, stride), windowsA, windowsB, tailWindows),
                    HashClmul36Pair(ref Unsafe.Add(ref at, 2 * stride), ref Unsafe.Add(ref at, 3 * stride), windowsA, windowsB, tailWindows),
                    ref Unsafe.Add(ref output, i));
            }
        }

        // What the four-input loops leave, and every input where they cannot run: one input at a time, by its kernel.
        for (; i < hashes.Length; i++)
        {
            ReadOnlySpan<byte> input = inputs.Slice(i * stride, inputLength);
            ref byte at = ref MemoryMarshal.GetReference(input);
            hashes[i] = inputLength == HashInput.IPv4WithPortsLength ? HashClmul12(ref at, ref Unsafe.Add(ref at, IPv4AddressesLength))
                : inputLength == HashInput.IPv6WithPortsLength ? HashClmul36(ref at, ref Unsafe.Add(ref at, IPv6AddressesLength))
                : HashClmul(input, 0);
        }
    }

    /// <summary>Two 12-byte inputs, one per lane (bytes 12..15 ignored); dword 2 of each lane is its hash, bits reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> HashClmul12Pair(Vector256<byte> pair, Vector256<ulong> windows)
    {
        Vector256<ulong> chunks = Avx2.Shuffle(pair, ByteSwap12).AsUInt64();
        Vector256<ulong> first = Pclmulqdq.V256.CarrylessMultiply(chunks, windows, 0x00) ^ Pclmulqdq.V256.CarrylessMultiply(chunks, windows, 0x11);
        Vector256<ulong> second = Pclmulqdq.V256.CarrylessMultiply(chunks, windows, 0x10);
        return (first ^ Avx2.ShiftLeftLogical128BitLane(second, 8)).AsByte();
    }

    /// <summary>Two 36-byte inputs; dword 2 of lane 0 is the first hash, of lane 1 the second, bits reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> HashClmul36Pair(ref byte first, ref byte second, Vector256<ulong> windowsA, Vector256<ulong> windowsB, Vector256<ulong> tailWindows)
    {
        Vector256<ulong> firstSum = HashClmul32Lanes(Vector256.LoadUnsafe(ref first), windowsA, windowsB);
        Vector256<ulong> secondSum = HashClmul32Lanes(Vector256.LoadUnsafe(ref second), windowsA, windowsB);
        Vector256<ulong> sums = Avx2.Permute2x128(firstSum, secondSum, 0x20) ^ Avx2.Permute2x128(firstSum, secondSum, 0x31);

        // Bytes 32..35 of each input (bytes 12..15 of the 16 read from byte 20) at the top of qword 0, big-endian.
        Vector256<byte> tails = Avx2.Shuffle(
            Vector256.Create(Vector128.LoadUnsafe(ref first, 20), Vector128.LoadUnsafe(ref second, 20)),
            Vector256.Create(Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 15, 14, 13, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)));
        return (sums ^ Pclmulqdq.V256.CarrylessMultiply(tails.AsUInt64(), tailWindows, 0x00)).AsByte();
    }

    /// <summary>The first 32 bytes of a piece at byte 0: each lane's dword 2 holds half of it, bits reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> HashClmul32Lanes(Vector256<byte> input, Vector256<ulong> windowsA, Vector256<ulong> windowsB)
    {
        Vector256<ulong> chunks = Avx2.Shuffle(input, Vector256.Create(ByteSwapQwords)).AsUInt64();
        Vector256<ulong> first = Pclmulqdq.V256.CarrylessMultiply(chunks, windowsA, 0x00) ^ Pclmulqdq.V256.CarrylessMultiply(chunks, windowsB, 0x01);
        Vector256<ulong> second = Pclmulqdq.V256.CarrylessMultiply(chunks, windowsA, 0x10) ^ Pclmulqdq.V256.CarrylessMultiply(chunks, windowsB, 0x11);
        return first ^ Avx2.ShiftLeftLogical128BitLane(second, 8);
    }

    /// <summary>
    /// Stores four hashes: dword 2 of each lane of <paramref name="hashes01"/> (inputs 0, 1) and of
    /// <paramref name="hashes23"/> (inputs 2, 3), bits reversed, one bit reversal for all four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreHashes(Vector256<byte> hashes01, Vector256<byte> hashes23, ref uint output)
    {
        // Dword 2 of each lane, bytes reversed, to dword 0 (inputs 0, 1) and dword 1 (inputs 2, 3).
        Vector256<byte> gathered =
            Avx2.Shuffle(hashes01, Vector256.Create(Vector128.Create((byte)11, 10, 9, 8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80))) |
            Avx2.Shuffle(hashes23, Vector256.Create(Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 11, 10, 9, 8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)));
        Vector256<uint> reversed = ReverseBitsInBytes(gathered).AsUInt32();
        Avx2.PermuteVar8x32(reversed, Vector256.Create(0u, 4, 1, 5, 0, 0, 0, 0)).GetLower().StoreUnsafe(ref output);
    }

    /// <summary>Dword 2 of <paramref name="product"/> with its 32 bits in reverse order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReverseDword2(Vector128<ulong> product)
    {
        Vector128<byte> bytes = ShuffleBytes(
            product.AsByte(),
            Vector128.Create((byte)11, 10, 9, 8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80));
        return ReverseBitsInBytes(bytes).AsUInt32().ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ReverseBitsInBytes(Vector128<byte> bytes)
    {
        Vector128<byte> nibble = Vector128.Create((byte)0x0F);
        Vector128<byte> low = bytes & nibble;
        Vector128<byte> high = Vector128.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & nibble;
        return ShuffleBytes(ReversedNibblesHigh, low) | ShuffleBytes(ReversedNibblesLow, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> ReverseBitsInBytes(Vector256<byte> bytes)
    {
        Vector256<byte> nibble = Vector256.Create((byte)0x0F);
        Vector256<byte> low = bytes & nibble;
        Vector256<byte> high = Avx2.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & nibble;
        return Avx2.Shuffle(Vector256.Create(ReversedNibblesHigh), low) | Avx2.Shuffle(Vector256.Create(ReversedNibblesLow), high);
    }

    /// <summary>
    /// The carry-less product of one qword of each operand, chosen as PCLMULQDQ's immediate chooses them (bit 0: the
    /// qword of <paramref name="left"/>, bit 4: of <paramref name="right"/>): PCLMULQDQ on x64, PMULL or PMULL2 on ARM64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> CarrylessMultiply(Vector128<ulong> left, Vector128<ulong> right, [ConstantExpected] byte qwords)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            return qwords switch
            {
                0x00 => ArmAes.PolynomialMultiplyWideningLower(left.GetLower(), right.GetLower()),
                0x01 => ArmAes.PolynomialMultiplyWideningLower(left.GetUpper(), right.GetLower()),
                0x10 => ArmAes.PolynomialMultiplyWideningLower(left.GetLower(), right.GetUpper()),
                _ => ArmAes.PolynomialMultiplyWideningUpper(left, right),
            };
        }

        return Pclmulqdq.CarrylessMultiply(left, right, qwords);
    }

    /// <summary>
    /// Byte <c>indices[i]</c> of <paramref name="source"/> into byte i, or zero for an index of 0x80: PSHUFB on x64, TBL
    /// on ARM64 (which agree on the indices used here, 0 to 15 and 0x80).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ShuffleBytes(Vector128<byte> source, Vector128<byte> indices) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.VectorTableLookup(source, indices) : Ssse3.Shuffle(source, indices);

    /// <summary>Qword 1 of <paramref name="value"/> moved to qword 0, zero above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> UpperToLower(Vector128<ulong> value) =>
        AdvSimd.Arm64.IsSupported ? Vector128.CreateScalar(value.GetElement(1)) : Sse2.ShiftRightLogical128BitLane(value, 8);

    /// <summary>Qword 0 of <paramref name="value"/> moved to qword 1, zero below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> LowerToUpper(Vector128<ulong> value) =>
        AdvSimd.Arm64.IsSupported ? Vector128.Create(0UL, value.GetElement(0)) : Sse2.ShiftLeftLogical128BitLane(value, 8);
}
