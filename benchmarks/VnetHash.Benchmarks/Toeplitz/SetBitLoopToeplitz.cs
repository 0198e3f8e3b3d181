using System.Buffers.Binary;
using System.Numerics;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>
/// Baseline: the set-bit loop of DPDK <c>rte_softrss</c> (commit 3fb1ea0) and the tun series'
/// <c>virtio_net_toeplitz_calc</c>: per 32-bit input word, visit only its set bits (count trailing zeros, clear the
/// lowest) and XOR the key window cut from two consecutive key words (../shared/reference/virtio-spec.md 4.1).
/// </summary>
public sealed class SetBitLoopToeplitz
{
    // The key as big-endian 32-bit words, one zero word appended so word j + 1 always exists.
    private readonly uint[] _keyWords;

    public SetBitLoopToeplitz(ReadOnlySpan<byte> key)
    {
        _keyWords = new uint[(key.Length / 4) + 1];
        for (int j = 0; j < key.Length / 4; j++)
        {
            _keyWords[j] = BinaryPrimitives.ReadUInt32BigEndian(key[(4 * j)..]);
        }
    }

    /// <summary>Hashes an input whose length is a multiple of 4 (every RSS tuple is).</summary>
    public uint Hash(ReadOnlySpan<byte> input)
    {
        if (input.Length % 4 != 0 || input.Length / 4 >= _keyWords.Length - 1)
        {
            throw new ArgumentException($"The set-bit loop takes whole 32-bit words within the key; got {input.Length} bytes.", nameof(input));
        }

        uint hash = 0;
        for (int j = 0; j < input.Length / 4; j++)
        {
            uint word = BinaryPrimitives.ReadUInt32BigEndian(input[(4 * j)..]);
            ulong keyBits = ((ulong)_keyWords[j] << 32) | _keyWords[j + 1];
            while (word != 0)
            {
                // Bit i (least significant = 0) is input bit 32j + 31 - i; its window starts there in keyBits.
                int i = BitOperations.TrailingZeroCount(word);
                hash ^= (uint)(keyBits >> (i + 1));
                word &= word - 1;
            }
        }

        return hash;
    }
}
