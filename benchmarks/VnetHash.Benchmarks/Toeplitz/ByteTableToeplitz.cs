namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>
/// Baseline: per-byte lookup tables, T[n][v] = what byte value v at input position n contributes, one lookup and
/// one XOR per input byte (MSQUIC, FreeBSD; ../shared/reference/virtio-spec.md 4.2).
/// </summary>
public sealed class ByteTableToeplitz
{
    private readonly uint[] _table;

    public ByteTableToeplitz(ReadOnlySpan<byte> key)
    {
        int positions = key.Length - 4;
        _table = new uint[positions * 256];
        for (int n = 0; n < positions; n++)
        {
            for (int v = 0; v < 256; v++)
            {
                uint sum = 0;
                for (int bit = 0; bit < 8; bit++)
                {
                    if ((v & (0x80 >> bit)) != 0)
                    {
                        sum ^= Window(key, (8 * n) + bit);
                    }
                }

                _table[(n * 256) + v] = sum;
            }
        }
    }

    public uint Hash(ReadOnlySpan<byte> input)
    {
        uint[] table = _table;
        uint hash = 0;
        for (int n = 0; n < input.Length; n++)
        {
            hash ^= table[(n * 256) + input[n]];
        }

        return hash;
    }

    private static uint Window(ReadOnlySpan<byte> key, int start)
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
