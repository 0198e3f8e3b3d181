using System.Buffers.Binary;
using System.Diagnostics;

namespace VnetHash.Hashing;

/// <summary>
/// A Toeplitz key prepared for hashing: the per-key work (tables, windows, matrices) is done once here,
/// so hashing a packet allocates nothing and does only per-packet work.
/// </summary>
/// <remarks>
/// The key is one bit string read from the most significant bit of byte 0, the order of virtio's
/// <c>hash_key_data</c> and of the Microsoft RSS key. An input of n bytes needs a key of n + 4 bytes.
/// Instances are immutable and safe to share between threads.
/// </remarks>
public sealed partial class ToeplitzKey
{
    /// <summary>Key bytes an input needs beyond its own length: the 32-bit window of the last input bit.</summary>
    public const int WindowBytes = 4;

    private readonly byte[] _key;

    // _table[n * 256 + v]: what byte value v at input position n contributes to the hash.
    private readonly uint[] _table;

    /// <summary>Prepares <paramref name="key"/> for the fastest path this CPU supports.</summary>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="WindowBytes"/> + 1 bytes.</exception>
    public ToeplitzKey(ReadOnlySpan<byte> key)
        : this(key, ToeplitzImplementation.Auto)
    {
    }

    /// <summary>Prepares <paramref name="key"/> for a chosen path; tests force each path through this.</summary>
    internal ToeplitzKey(ReadOnlySpan<byte> key, ToeplitzImplementation implementation)
    {
        if (key.Length <= WindowBytes)
        {
            throw new ArgumentException($"A Toeplitz key needs more than {WindowBytes} bytes, got {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
        Implementation = implementation == ToeplitzImplementation.Auto ? ToeplitzImplementation.Table : implementation;
        _table = BuildTable(_key);
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

    /// <summary>The path chosen when the key was prepared.</summary>
    public ToeplitzImplementation Implementation { get; }

    /// <summary>Hashes <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input is longer than <see cref="MaxInputLength"/>.</exception>
    public uint Hash(ReadOnlySpan<byte> input) => Hash(input, 0);

    /// <summary>
    /// Hashes <paramref name="input"/> as if it stood at byte <paramref name="offset"/> of a longer input whose
    /// other bytes are zero. Toeplitz is linear, so a tuple spread over a frame (addresses here, ports there)
    /// hashes as the XOR of its pieces, each read in place.
    /// </summary>
    /// <exception cref="ArgumentException">The piece ends beyond <see cref="MaxInputLength"/>.</exception>
    public uint Hash(ReadOnlySpan<byte> input, int offset)
    {
        if ((uint)offset > (uint)MaxInputLength || input.Length > MaxInputLength - offset)
        {
            ThrowIfKeyTooShort(_key.Length, offset + input.Length);
        }

        return HashTable(input, offset);
    }

    /// <summary>
    /// Hashes <paramref name="hashes"/>.Length inputs of <paramref name="inputLength"/> bytes laid out every
    /// <paramref name="stride"/> bytes in <paramref name="inputs"/>.
    /// </summary>
    public void HashBatch(ReadOnlySpan<byte> inputs, int inputLength, int stride, Span<uint> hashes)
    {
        if (inputLength > MaxInputLength || inputLength < 0)
        {
            ThrowIfKeyTooShort(_key.Length, inputLength);
        }

        if (stride < inputLength || (hashes.Length > 0 && (long)stride * (hashes.Length - 1) + inputLength > inputs.Length))
        {
            throw new ArgumentException($"{hashes.Length} inputs of {inputLength} bytes every {stride} bytes do not fit in {inputs.Length} bytes.", nameof(inputs));
        }

        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = HashTable(inputs.Slice(i * stride, inputLength), 0);
        }
    }

    internal static void ThrowIfKeyTooShort(int keyLength, int inputLength)
    {
        if (keyLength < inputLength + WindowBytes)
        {
            throw new ArgumentException($"A {inputLength}-byte input needs a key of at least {inputLength + WindowBytes} bytes, but the key has {keyLength}.");
        }
    }

    private uint HashTable(ReadOnlySpan<byte> input, int offset)
    {
        Debug.Assert(offset + input.Length <= MaxInputLength);
        ReadOnlySpan<uint> table = _table.AsSpan(offset * 256);
        uint hash = 0;
        for (int i = 0; i < input.Length; i++)
        {
            hash ^= table[(i << 8) | input[i]];
        }

        return hash;
    }

    private static uint[] BuildTable(byte[] key)
    {
        int positions = key.Length - WindowBytes;
        var table = new uint[positions * 256];
        Span<uint> windows = stackalloc uint[8];
        for (int n = 0; n < positions; n++)
        {
            // The 64 key bits from byte n hold the windows of all eight bits of input byte n.
            ulong bits = 0;
            for (int b = 0; b < 8; b++)
            {
                bits = (bits << 8) | (n + b < key.Length ? key[n + b] : 0u);
            }

            for (int bit = 0; bit < 8; bit++)
            {
                windows[bit] = (uint)(bits >> (32 - bit));
            }

            Span<uint> row = table.AsSpan(n * 256, 256);
            for (int v = 1; v < 256; v++)
            {
                // Built from the lowest set bit: row[v] = row[v without that bit] ^ window of that bit.
                int low = System.Numerics.BitOperations.TrailingZeroCount(v);
                row[v] = row[v & (v - 1)] ^ windows[7 - low];
            }
        }

        return table;
    }

    internal static uint ReadWindow(ReadOnlySpan<byte> key, int byteOffset) => BinaryPrimitives.ReadUInt32BigEndian(key[byteOffset..]);
}
