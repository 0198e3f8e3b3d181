using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VnetHash.Hashing;

public sealed partial class ToeplitzKey
{
    private const int TableRowLength = 256;

    // _table[n * 256 + v]: what byte value v at input position n contributes to the hash.
    private readonly uint[]? _table;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint HashTable(ReadOnlySpan<byte> input, int offset)
    {
        Debug.Assert(_table is not null && offset + input.Length <= MaxInputLength);
        ref uint row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_table), offset * TableRowLength);
        ref byte data = ref MemoryMarshal.GetReference(input);
        uint hash = 0;
        for (int i = 0; i < input.Length; i++)
        {
            hash ^= Unsafe.Add(ref row, (i * TableRowLength) + Unsafe.Add(ref data, i));
        }

        return hash;
    }

    private static uint[] BuildTable(byte[] key)
    {
        int positions = key.Length - WindowBytes;
        var table = new uint[positions * TableRowLength];
        Span<uint> windows = stackalloc uint[8];
        for (int n = 0; n < positions; n++)
        {
            // Bit b of input byte n (b = 0 most significant) adds the window at key bit 8n + b.
            ulong keyWindow = KeyWindow(key, 8 * n);
            for (int b = 0; b < 8; b++)
            {
                windows[b] = (uint)((keyWindow << b) >> 32);
            }

            Span<uint> row = table.AsSpan(n * TableRowLength, TableRowLength);
            for (int v = 1; v < TableRowLength; v++)
            {
                // Built from the lowest set bit: row[v] = row[v without that bit] ^ window of that bit.
                int low = BitOperations.TrailingZeroCount(v);
                row[v] = row[v & (v - 1)] ^ windows[7 - low];
            }
        }

        return table;
    }
}
