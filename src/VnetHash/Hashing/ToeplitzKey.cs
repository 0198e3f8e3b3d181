using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VnetHash.Hashing;

/// <summary>
/// A Toeplitz key prepared for hashing: the per-key work (tables, windows, matrices) is done once here,
/// so hashing a packet allocates nothing and does only per-packet work.
/// </summary>
/// <remarks>
/// The key is one bit string read from the most significant bit of byte 0, the order of virtio's
/// <c>hash_key_data</c> and of the Microsoft RSS key. An input of n bytes needs a key of n + 4 bytes; keys may be
/// longer than the 40 bytes virtio devices use. Hashes are returned as integers (virtio stores them little-endian
/// in <c>hash_value</c>). Instances are immutable and safe to share between threads.
/// </remarks>
public sealed partial class ToeplitzKey
{
    /// <summary>Key bytes an input needs beyond its own length: the 32-bit window of the last input bit.</summary>
    public const int WindowBytes = 4;

    private const int IPv4AddressesLength = 8;
    private const int IPv6AddressesLength = 32;
    private const int PortsLength = 4;

    private readonly byte[] _key;
    private readonly ToeplitzImplementation _requested;
    private readonly ToeplitzPaths _paths;

    // The paths of the per-packet tuples, resolved for this key: Auto where the key is too short for the tuple.
    private readonly ToeplitzImplementation _hash12;
    private readonly ToeplitzImplementation _hash36;

    // The GFNI tuple layout's matrices for the 12- and 36-byte tuple where that tuple's path is Gfni512, else null: the
    // field tests the path and gives the address, where the path's own test came first and the address's load waited
    // for it. Like every raw address of the key's pinned buffers, it does not keep the key alive: a kernel that reads
    // through one passes its hash through KeptAlive.
    private readonly unsafe byte* _gfni12Matrices;
    private readonly unsafe byte* _gfni36Matrices;

    /// <summary>
    /// Prepares <paramref name="key"/> for the fastest paths of this CPU, chosen by measurement once per process
    /// (see <see cref="ToeplitzImplementation.Auto"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="WindowBytes"/> + 1 bytes.</exception>
    public ToeplitzKey(ReadOnlySpan<byte> key)
        : this(key, ToeplitzImplementation.Auto)
    {
    }

    /// <summary>
    /// Prepares <paramref name="key"/> for a chosen path, for every operation; <see cref="ToeplitzImplementation.Auto"/>
    /// chooses per operation by measurement.
    /// </summary>
    /// <exception cref="ArgumentException">The key is too short, or the path is not a defined value.</exception>
    /// <exception cref="PlatformNotSupportedException">The CPU lacks the instructions the path needs.</exception>
    /// <exception cref="ConfigurationException">
    /// <see cref="ToeplitzImplementation.Auto"/> with the <c>VNETHASH_TOEPLITZ</c> environment variable set to a
    /// value that names no path, or a path this CPU lacks.
    /// </exception>
    public ToeplitzKey(ReadOnlySpan<byte> key, ToeplitzImplementation implementation)
        : this(key, implementation, Paths(key, implementation))
    {
    }

    /// <summary>Prepares <paramref name="key"/> with a path per operation; tests mix paths through this.</summary>
    internal ToeplitzKey(ReadOnlySpan<byte> key, ToeplitzPaths paths)
        : this(key, ToeplitzImplementation.Auto, paths)
    {
    }

    private ToeplitzKey(ReadOnlySpan<byte> key, ToeplitzImplementation requested, ToeplitzPaths paths)
    {
        ThrowIfKeyTooShortForAnyInput(key);
        _key = key.ToArray();
        _requested = requested;
        _paths = paths;
        _hash12 = MaxInputLength >= HashInput.IPv4WithPortsLength ? _paths.Hash12 : ToeplitzImplementation.Auto;
        _hash36 = MaxInputLength >= HashInput.IPv6WithPortsLength ? _paths.Hash36 : ToeplitzImplementation.Auto;

        if (_paths.Uses(ToeplitzImplementation.Table))
        {
            _table = BuildTable(_key);
        }

        if (_paths.Uses(ToeplitzImplementation.CarrylessMultiply))
        {
            _clmulWindows = BuildClmulWindows(_key, out _clmulStride);
            ref ulong windows = ref MemoryMarshal.GetArrayDataReference(_clmulWindows);
            _tupleWindowsA = Vector256.LoadUnsafe(ref windows);
            _tupleWindowsB = Vector256.LoadUnsafe(ref windows, 1);
            _tupleTailWindows = Vector128.LoadUnsafe(ref windows, 4);
            _mirroredWindows = Vector128.Create(KeyWindow(_key, -32), KeyWindow(_key, 32));
            _mirroredTailWindows = Vector128.Create(KeyWindow(_key, 32), KeyWindow(_key, 64));
        }

        if (_paths.Uses(ToeplitzImplementation.Gfni256) || _paths.Uses(ToeplitzImplementation.Gfni512))
        {
            ulong[] matrices = BuildGfniMatrices(_key);
            _gfniMatrixBuffer = PinGfniMatrices(matrices, out _gfniMatrices);
            if (_paths.Uses(ToeplitzImplementation.Gfni512))
            {
                _gfniTupleBuffer = BuildGfniTupleConstants(matrices, out _gfniTuple);
                unsafe
                {
                    _gfni12Matrices = _hash12 == ToeplitzImplementation.Gfni512 ? (byte*)_gfniTuple : null;
                    _gfni36Matrices = _hash36 == ToeplitzImplementation.Gfni512 ? (byte*)_gfniTuple + (64 * GfniMatrices36) : null;
                }
            }
        }
    }

    private static ToeplitzPaths Paths(ReadOnlySpan<byte> key, ToeplitzImplementation implementation)
    {
        ThrowIfKeyTooShortForAnyInput(key);
        if (!Enum.IsDefined(implementation))
        {
            throw new ArgumentException($"{(int)implementation} is not a Toeplitz implementation.", nameof(implementation));
        }

        if (!IsSupported(implementation))
        {
            throw new PlatformNotSupportedException($"The {implementation} Toeplitz path {WhyUnsupported(implementation)}.");
        }

        return implementation == ToeplitzImplementation.Auto ? ToeplitzPathChooser.Chosen : ToeplitzPaths.Everywhere(implementation);
    }

    private static void ThrowIfKeyTooShortForAnyInput(ReadOnlySpan<byte> key)
    {
        if (key.Length <= WindowBytes)
        {
            throw new ArgumentException($"A Toeplitz key needs more than {WindowBytes} bytes, got {key.Length}.", nameof(key));
        }
    }

    /// <summary>The 40-byte key of Microsoft's RSS verification suite, used by virtio and most test vectors.</summary>
    public static ReadOnlySpan<byte> MicrosoftKey =>
    [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ];

    /// <summary>The key bytes.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>The longest input this key can hash: the key length minus <see cref="WindowBytes"/>.</summary>
    public int MaxInputLength => _key.Length - WindowBytes;

    /// <summary>
    /// The path requested when the key was prepared: <see cref="ToeplitzImplementation.Auto"/>, or the path forced for
    /// every operation. <see cref="ImplementationOf"/> tells which path each operation takes.
    /// </summary>
    public ToeplitzImplementation Implementation => _requested;

    /// <summary>The paths this CPU supports, slowest first; <see cref="ToeplitzImplementation.Table"/> is always there.</summary>
    internal static IReadOnlyList<ToeplitzImplementation> AvailableImplementations { get; } = Supported(Implementations);

    /// <summary>Every path, whatever the CPU, slowest first.</summary>
    internal static ReadOnlySpan<ToeplitzImplementation> Implementations =>
        [ToeplitzImplementation.Table, ToeplitzImplementation.CarrylessMultiply, ToeplitzImplementation.Gfni256, ToeplitzImplementation.Gfni512];

    // A list, not Enum.GetValues and LINQ: the Native AOT tool looks those up at run time, and this runs at start-up.
    private static ToeplitzImplementation[] Supported(ReadOnlySpan<ToeplitzImplementation> paths)
    {
        var supported = new List<ToeplitzImplementation>(paths.Length);
        foreach (ToeplitzImplementation path in paths)
        {
            if (IsSupported(path))
            {
                supported.Add(path);
            }
        }

        return [.. supported];
    }

    /// <summary>The path <paramref name="operation"/> takes with this key (never <see cref="ToeplitzImplementation.Auto"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operation"/> is not a defined value.</exception>
    public ToeplitzImplementation ImplementationOf(ToeplitzOperation operation) => _paths[operation];

    /// <summary>
    /// Whether this CPU has the instructions <paramref name="implementation"/> needs (as the runtime reports them, so
    /// <c>DOTNET_EnableAVX512F=0</c> and the like take paths away). <see cref="ToeplitzImplementation.Auto"/> and
    /// <see cref="ToeplitzImplementation.Table"/> are always supported; undefined values never.
    /// </summary>
    public static bool IsSupported(ToeplitzImplementation implementation) => implementation switch
    {
        ToeplitzImplementation.Auto or ToeplitzImplementation.Table => true,
        ToeplitzImplementation.CarrylessMultiply => IsClmulSupported,
        ToeplitzImplementation.Gfni256 => IsGfni256Supported,
        ToeplitzImplementation.Gfni512 => IsGfni512Supported,
        _ => false,
    };

    /// <summary>The instruction sets a path needs, as CPU flag names.</summary>
    internal static string RequiredInstructions(ToeplitzImplementation implementation) => implementation switch
    {
        ToeplitzImplementation.CarrylessMultiply => IsArm64 ? "PMULL (the ARMv8 Cryptographic Extension)" : "PCLMULQDQ and SSSE3/SSE4.1",
        ToeplitzImplementation.Gfni256 => "GFNI with AVX2",
        ToeplitzImplementation.Gfni512 => "GFNI with AVX-512BW and AVX-512 VBMI",
        _ => "nothing beyond the base instruction set",
    };

    /// <summary>
    /// Why <paramref name="implementation"/> cannot run in this process, as the end of a sentence naming it. The CPU's
    /// own report (CPUID) tells a CPU without the instructions from a runtime that does not let the program use them:
    /// switched off by a <c>DOTNET_Enable...</c> setting, or compiled ahead of time (Native AOT targets a baseline
    /// without AVX unless told otherwise) for a CPU without them.
    /// </summary>
    internal static string WhyUnsupported(ToeplitzImplementation implementation)
    {
        string needs = $"needs {RequiredInstructions(implementation)}";
        if (IsArm64 && implementation == ToeplitzImplementation.CarrylessMultiply)
        {
            // ARM64 has no CPUID for a program to read: the CPU's features come from the kernel, beyond this OS-free library.
            return $"{needs}, which the runtime does not offer here: this CPU lacks it, or a DOTNET_EnableArm64Aes setting switched it off";
        }

        if (!CpuReports(implementation))
        {
            return $"{needs}, which this CPU does not report";
        }

        return RuntimeFeature.IsDynamicCodeCompiled
            ? $"{needs}: this CPU reports them, but the runtime has them switched off (a DOTNET_Enable setting)"
            : $"{needs}: this CPU reports them, but this program was compiled ahead of time (Native AOT) without them";
    }

    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>
    /// Whether the CPU reports the instructions of <paramref name="implementation"/> (CPUID leaves 1 and 7), whatever the
    /// runtime allows; on ARM64, whether the runtime does.
    /// </summary>
    internal static bool CpuReports(ToeplitzImplementation implementation)
    {
        if (!X86Base.IsSupported)
        {
            // No CPUID to ask: on ARM64 the runtime's own report of PMULL is all there is (see WhyUnsupported).
            return implementation is ToeplitzImplementation.Auto or ToeplitzImplementation.Table
                || (IsArm64 && implementation == ToeplitzImplementation.CarrylessMultiply && IsClmulSupported);
        }

        (_, _, int features, _) = X86Base.CpuId(1, 0);
        (_, int extendedB, int extendedC, _) = X86Base.CpuId(7, 0);
        static bool Bit(int register, int bit) => ((register >> bit) & 1) != 0;
        bool gfni = Bit(extendedC, 8);
        return implementation switch
        {
            ToeplitzImplementation.Auto or ToeplitzImplementation.Table => true,
            ToeplitzImplementation.CarrylessMultiply => Bit(features, 1) && Bit(features, 9) && Bit(features, 19), // PCLMULQDQ, SSSE3, SSE4.1
            ToeplitzImplementation.Gfni256 => gfni && Bit(extendedB, 5), // AVX2
            ToeplitzImplementation.Gfni512 => gfni && Bit(extendedB, 30) && Bit(extendedC, 1), // AVX-512BW, AVX-512 VBMI
            _ => false,
        };
    }

    /// <summary>Hashes <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input is longer than <see cref="MaxInputLength"/>.</exception>
    // Inlined into its callers. The JIT inlines it into a hot loop from the loop's profile anyway; compiled ahead of
    // time, with no profile, it stayed a call, whose prologue, epilogue and vzeroupper took the native tool's single
    // hash from 1.32 to 2.04 ns for 12 bytes and from 1.87 to 2.40 ns for 36 (Zen 5, docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Hash(ReadOnlySpan<byte> input)
    {
        // The per-packet tuples go straight to their kernels; everything else takes one more call.
        ref byte data = ref MemoryMarshal.GetReference(input);
        if (input.Length == HashInput.IPv4WithPortsLength)
        {
            return Hash12(ref data, ref Unsafe.Add(ref data, IPv4AddressesLength), input);
        }

        if (input.Length == HashInput.IPv6WithPortsLength)
        {
            return Hash36(ref data, ref Unsafe.Add(ref data, IPv6AddressesLength), input);
        }

        return HashAny(input);
    }

    /// <summary>Hashes <paramref name="input"/>, or returns false if it is longer than <see cref="MaxInputLength"/>.</summary>
    public bool TryHash(ReadOnlySpan<byte> input, out uint hash)
    {
        if (input.Length > MaxInputLength)
        {
            hash = 0;
            return false;
        }

        hash = Hash(input);
        return true;
    }

    /// <summary>
    /// Hashes <paramref name="input"/> as if it stood at byte <paramref name="offset"/> of a longer input whose
    /// other bytes are zero. Toeplitz is linear, so a tuple spread over a frame (addresses here, ports there)
    /// hashes as the XOR of its pieces, each read in place.
    /// </summary>
    /// <exception cref="ArgumentException">The piece ends beyond <see cref="MaxInputLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    public uint Hash(ReadOnlySpan<byte> input, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset > MaxInputLength || input.Length > MaxInputLength - offset)
        {
            ThrowKeyTooShort(_key.Length, offset + input.Length);
        }

        return HashAt(input, offset);
    }

    /// <summary>
    /// Hashes an IPv4 tuple read in place from a frame: <paramref name="addresses"/> is source then destination
    /// address (8 bytes, network order), <paramref name="ports"/> is source then destination port (4 bytes) or
    /// empty for an address-only hash. Same value as <see cref="Hash(ReadOnlySpan{byte})"/> of the 8- or 12-byte
    /// concatenation, without copying it.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or the key is shorter than the tuple needs.</exception>
    public uint HashIPv4(ReadOnlySpan<byte> addresses, ReadOnlySpan<byte> ports)
    {
        if (addresses.Length == IPv4AddressesLength && (ports.Length == PortsLength || (ports.IsEmpty && _hash12 != ToeplitzImplementation.Auto)))
        {
            return Hash12(ref MemoryMarshal.GetReference(addresses), ref PortsOrZeros(ports), default);
        }

        return HashTuple(addresses, IPv4AddressesLength, ports);
    }

    /// <summary>
    /// Hashes an IPv6 tuple read in place from a frame: <paramref name="addresses"/> is source then destination
    /// address (32 bytes, network order), <paramref name="ports"/> is source then destination port (4 bytes) or
    /// empty. Same value as <see cref="Hash(ReadOnlySpan{byte})"/> of the 32- or 36-byte concatenation.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or the key is shorter than the tuple needs.</exception>
    public uint HashIPv6(ReadOnlySpan<byte> addresses, ReadOnlySpan<byte> ports)
    {
        if (addresses.Length == IPv6AddressesLength && (ports.Length == PortsLength || (ports.IsEmpty && _hash36 != ToeplitzImplementation.Auto)))
        {
            return Hash36(ref MemoryMarshal.GetReference(addresses), ref PortsOrZeros(ports), default);
        }

        return HashTuple(addresses, IPv6AddressesLength, ports);
    }

    // An address-only tuple hashes as the tuple with zero ports (zero input bits add nothing to a Toeplitz hash), so
    // where the key is long enough for the whole tuple, the tuple's kernel hashes it.
    private static ReadOnlySpan<byte> ZeroPorts => [0, 0, 0, 0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte PortsOrZeros(ReadOnlySpan<byte> ports) => ref MemoryMarshal.GetReference(ports.IsEmpty ? ZeroPorts : ports);

    /// <summary>
    /// Hashes <paramref name="hashes"/>.Length inputs of <paramref name="inputLength"/> bytes laid out every
    /// <paramref name="stride"/> bytes in <paramref name="inputs"/>; <c>hashes[i]</c> is the hash of the input at
    /// byte <c>i * stride</c>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The inputs are longer than <see cref="MaxInputLength"/>, the stride is shorter than an input, or the inputs
    /// do not fit in <paramref name="inputs"/>.
    /// </exception>
    public void HashBatch(ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        if (inputLength > MaxInputLength)
        {
            ThrowKeyTooShort(_key.Length, inputLength);
        }

        if (stride < inputLength || (hashes.Length > 0 && (long)stride * (hashes.Length - 1) + inputLength > inputs.Length))
        {
            throw new ArgumentException(
                $"{hashes.Length} inputs of {inputLength} bytes every {stride} bytes do not fit in {inputs.Length} bytes (the stride must be at least the input length).",
                nameof(inputs));
        }

        HashBatchOn(
            inputLength switch
            {
                HashInput.IPv4WithPortsLength => _paths.Batch12,
                HashInput.IPv6WithPortsLength => _paths.Batch36,
                _ => _paths.HashOther,
            },
            inputs,
            inputLength,
            stride,
            hashes);
    }

    /// <summary>
    /// <see cref="HashIPv4"/> of addresses and ports the caller has checked are inside its frame, for a key long enough
    /// for the 12-byte tuple.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint HashIPv4InPlace(ref byte addresses, ref byte ports) => Hash12(ref addresses, ref ports, default);

    /// <summary>As <see cref="HashIPv4InPlace"/> for the 36-byte IPv6 tuple.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint HashIPv6InPlace(ref byte addresses, ref byte ports) => Hash36(ref addresses, ref ports, default);

    /// <summary>
    /// <see cref="HashIPv4InPlace"/> with <paramref name="report"/> where the key's 12-byte path is
    /// <see cref="ToeplitzImplementation.CarrylessMultiply"/> or <see cref="ToeplitzImplementation.Gfni256"/>,
    /// straight-line kernels; <see cref="HashResult.None"/> otherwise, leaving the hash to the caller's out-of-line path,
    /// where it would take a call. A loop that inlines this contains no call for it, so the loop's values can stay in
    /// registers; failing with the caller's own "no result" lets that join the caller's other failures without a flag to
    /// test. A caller reaches the Gfni512 kernel itself, through <see cref="Gfni12Matrices"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal HashResult HashIPv4Inline(ref byte addresses, ref byte ports, HashReport report) =>
        _hash12 == ToeplitzImplementation.CarrylessMultiply ? new HashResult(HashClmul12(ref addresses, ref ports), report)
        : IsGfni256Inlined && _hash12 == ToeplitzImplementation.Gfni256
            ? new HashResult(HashGfni256Tuple(ref addresses, IPv4AddressesLength, ref ports), report)
        : default;

    /// <summary>As <see cref="HashIPv4Inline"/> for the 36-byte IPv6 tuple.</summary>
    // The 256-bit GFNI kernel too, though beside the carry-less one it made the x86-64-v3 build's IPv6 frames on that
    // kernel 4 % slower: left out, a process whose chooser took it (its single call within 4 % of the carry-less one on
    // Zen 5, where a few processes in ten took it) hashed every IPv6 frame out of line, 10.5 instead of 5.3 ns in that
    // build (docs/performance.md, "The 36-byte kernels in the frame loop").
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal HashResult HashIPv6Inline(ref byte addresses, ref byte ports, HashReport report) =>
        _hash36 == ToeplitzImplementation.CarrylessMultiply ? new HashResult(HashClmul36(ref addresses, ref ports), report)
        : IsGfni256Inlined && _hash36 == ToeplitzImplementation.Gfni256
            ? new HashResult(HashGfni256Tuple(ref addresses, IPv6AddressesLength, ref ports), report)
        : default;

    /// <summary>
    /// The constants of <see cref="HashGfni12"/> where the 12-byte tuple's path is Gfni512, else null. The address does
    /// not keep the key alive: whoever hashes through it must use the key, or an object that holds it, after the kernel.
    /// </summary>
    internal unsafe byte* Gfni12Matrices => _gfni12Matrices;

    /// <summary>As <see cref="Gfni12Matrices"/> for the 36-byte tuple (<see cref="HashGfni36"/>).</summary>
    internal unsafe byte* Gfni36Matrices => _gfni36Matrices;

    internal static void ThrowIfKeyTooShort(int keyLength, int inputLength)
    {
        if (keyLength < inputLength + WindowBytes)
        {
            ThrowKeyTooShort(keyLength, inputLength);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowKeyTooShort(int keyLength, int inputLength) =>
        throw new ArgumentException($"A {inputLength}-byte input needs a key of at least {inputLength + WindowBytes} bytes, but the key has {keyLength}.");

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private uint HashTuple(ReadOnlySpan<byte> addresses, int addressesLength, ReadOnlySpan<byte> ports)
    {
        if (addresses.Length != addressesLength)
        {
            throw new ArgumentException($"The addresses must be {addressesLength} bytes (source then destination), got {addresses.Length}.", nameof(addresses));
        }

        if (ports.Length != 0 && ports.Length != PortsLength)
        {
            throw new ArgumentException($"The ports must be {PortsLength} bytes (source then destination) or empty, got {ports.Length}.", nameof(ports));
        }

        if (addressesLength + ports.Length > MaxInputLength)
        {
            ThrowKeyTooShort(_key.Length, addressesLength + ports.Length);
        }

        return HashAt(addresses, 0) ^ HashAt(ports, addressesLength);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private uint HashAny(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxInputLength)
        {
            ThrowKeyTooShort(_key.Length, input.Length);
        }

        return HashAt(input, 0);
    }

    /// <summary>
    /// The 12-byte tuple at byte 0: input bytes 0..7 at <paramref name="head"/>, 8..11 at <paramref name="tail"/>. A key
    /// too short for it hashes <paramref name="whole"/>, the input as one span, or throws when that is empty (a tuple
    /// read in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe uint Hash12(ref byte head, ref byte tail, ReadOnlySpan<byte> whole)
    {
        // Read once into a local: read in the test and again in the call, the field was loaded twice by the native
        // compiler, and a loop of single 12-byte hashes took 7 % longer (docs/performance.md, "Single calls with the
        // length known").
        byte* matrices = _gfni12Matrices;
        return matrices != null ? KeptAlive(HashGfni12(matrices, ref head, ref tail), this)
            : _hash12 == ToeplitzImplementation.CarrylessMultiply ? HashClmul12(ref head, ref tail)
            : IsGfni256Inlined && _hash12 == ToeplitzImplementation.Gfni256 ? HashGfni256Tuple(ref head, IPv4AddressesLength, ref tail)
            : HashTupleAt(_hash12, ref head, IPv4AddressesLength, ref tail, whole);
    }

    /// <summary>The 36-byte tuple at byte 0: input bytes 0..31 at <paramref name="head"/>, 32..35 at <paramref name="tail"/>; as <see cref="Hash12"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe uint Hash36(ref byte head, ref byte tail, ReadOnlySpan<byte> whole)
    {
        byte* matrices = _gfni36Matrices;
        return matrices != null ? KeptAlive(HashGfni36(matrices, ref head, ref tail), this)
            : _hash36 == ToeplitzImplementation.CarrylessMultiply ? HashClmul36(ref head, ref tail)
            : IsGfni256Inlined && _hash36 == ToeplitzImplementation.Gfni256 ? HashGfni256Tuple(ref head, IPv6AddressesLength, ref tail)
            : HashTupleAt(_hash36, ref head, IPv6AddressesLength, ref tail, whole);
    }

    // A kernel's hash, with the key used after it: a key used once and dropped could otherwise be collected, its pinned
    // buffers with it, while a kernel still reads them through their raw addresses.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint KeptAlive(uint hash, ToeplitzKey key)
    {
        GC.KeepAlive(key);
        return hash;
    }

    // Callers have checked the arguments.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HashBatchOn(ToeplitzImplementation path, ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        switch (path)
        {
            case ToeplitzImplementation.CarrylessMultiply:
                HashBatchClmul(inputs, inputLength, stride, hashes);
                break;
            case ToeplitzImplementation.Gfni512:
                HashBatchGfni512(inputs, inputLength, stride, hashes);
                break;
            case ToeplitzImplementation.Gfni256:
                HashBatchGfni256(inputs, inputLength, stride, hashes);
                break;
            default:
                for (int i = 0; i < hashes.Length; i++)
                {
                    hashes[i] = HashAt(path, inputs.Slice(i * stride, inputLength), 0);
                }

                break;
        }
    }

    // A tuple on a path without a kernel of its own: the pieces at their offsets (the hash is linear). A key too short
    // for the tuple (path Auto) hashes the whole input, which throws with the lengths, or the tuple's spans, which too.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private uint HashTupleAt(ToeplitzImplementation path, ref byte head, int headLength, ref byte tail, ReadOnlySpan<byte> whole) =>
        path == ToeplitzImplementation.Auto
            ? (whole.IsEmpty
                ? HashTuple(MemoryMarshal.CreateReadOnlySpan(ref head, headLength), headLength, MemoryMarshal.CreateReadOnlySpan(ref tail, PortsLength))
                : HashAny(whole))
            : path == ToeplitzImplementation.Gfni256 ? HashGfni256Tuple(ref head, headLength, ref tail)
            : HashAt(path, MemoryMarshal.CreateReadOnlySpan(ref head, headLength), 0) ^ HashAt(path, MemoryMarshal.CreateReadOnlySpan(ref tail, PortsLength), headLength);

    // Callers have checked that the piece ends within MaxInputLength.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashAt(ReadOnlySpan<byte> input, int offset) => HashAt(_paths.HashOther, input, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint HashAt(ToeplitzImplementation path, ReadOnlySpan<byte> input, int offset) => path switch
    {
        ToeplitzImplementation.CarrylessMultiply => HashClmul(input, offset),
        ToeplitzImplementation.Gfni512 => HashGfni512(input, offset),
        ToeplitzImplementation.Gfni256 => HashGfni256(input, offset),
        _ => HashTable(input, offset),
    };

    /// <summary>
    /// The 64 key bits from bit <paramref name="start"/> (bit 0 is the most significant bit of byte 0), the first as
    /// the most significant bit; bits outside the key are 0.
    /// </summary>
    private static ulong KeyWindow(byte[] key, int start)
    {
        int first = start >> 3;
        int shift = start & 7;
        ulong window = 0;
        for (int i = 0; i < 8; i++)
        {
            window = (window << 8) | (ulong)KeyByte(key, first + i);
        }

        return shift == 0 ? window : (window << shift) | ((ulong)KeyByte(key, first + 8) >> (8 - shift));
    }

    private static byte KeyByte(byte[] key, int index) => (uint)index < (uint)key.Length ? key[index] : (byte)0;
}
