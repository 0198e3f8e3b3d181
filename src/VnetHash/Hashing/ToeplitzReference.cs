namespace VnetHash.Hashing;

/// <summary>
/// The Toeplitz hash exactly as the Microsoft RSS and virtio specifications define it, one bit at a time.
/// Slow on purpose: it is the oracle every fast path is tested against.
/// </summary>
public static class ToeplitzReference
{
    /// <summary>
    /// Hashes <paramref name="input"/> with <paramref name="key"/>: for every set input bit t (most significant
    /// bit of byte 0 first), the 32-bit key window starting at key bit t is XORed into the result.
    /// </summary>
    /// <exception cref="ArgumentException">The key is shorter than the input plus 4 bytes.</exception>
    public static uint Hash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input)
    {
        ToeplitzKey.ThrowIfKeyTooShort(key.Length, input.Length);
        uint result = 0;
        for (int bit = 0; bit < input.Length * 8; bit++)
        {
            if ((input[bit >> 3] & (0x80 >> (bit & 7))) != 0)
            {
                result ^= Window(key, bit);
            }
        }

        return result;
    }

    /// <summary>The 32 key bits starting at bit <paramref name="start"/>, the first bit as the most significant.</summary>
    internal static uint Window(ReadOnlySpan<byte> key, int start)
    {
        uint window = 0;
        for (int i = 0; i < 32; i++)
        {
            int bit = start + i;
            window = (window << 1) | (uint)((key[bit >> 3] >> (7 - (bit & 7))) & 1);
        }

        return window;
    }
}
