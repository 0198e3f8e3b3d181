using VnetHash.Hashing;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// Toeplitz on any key and input: every path this CPU has (tables, carry-less multiply, GFNI) against the bitwise
/// reference, for whole inputs, pieces hashed at an offset, the in-place IPv4 and IPv6 tuple entry points and batches.
/// Input: byte 0 picks the key length (5 to 68 bytes) and byte 1 an offset and a batch shape; the key follows, then the data.
/// </summary>
internal sealed class ToeplitzTarget : IFuzzTarget
{
    private static readonly ToeplitzImplementation[] Paths =
        [.. Enum.GetValues<ToeplitzImplementation>().Where(i => i != ToeplitzImplementation.Auto && ToeplitzKey.IsSupported(i))];

    public string Name => "toeplitz";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        int keyLength = ToeplitzKey.WindowBytes + 1 + (input[0] % 64);
        byte shape = input[1];
        ReadOnlySpan<byte> rest = input[2..];
        Span<byte> key = stackalloc byte[keyLength];
        key.Clear();
        rest[..Math.Min(keyLength, rest.Length)].CopyTo(key);
        ReadOnlySpan<byte> data = rest[Math.Min(keyLength, rest.Length)..];

        int max = keyLength - ToeplitzKey.WindowBytes;
        ReadOnlySpan<byte> whole = data[..Math.Min(data.Length, max)];
        uint expected = ToeplitzReference.Hash(key, whole);
        int offset = shape % (max - whole.Length + 1);
        uint expectedAtOffset = ReferenceAt(key, whole, offset);

        foreach (ToeplitzImplementation path in Paths)
        {
            var prepared = new ToeplitzKey(key, path);
            Check.Equal(max, prepared.MaxInputLength, "the longest input");
            Check.Equal(expected, prepared.Hash(whole), $"{path} Hash of {whole.Length} bytes");
            Check.That(prepared.TryHash(whole, out uint tried) && tried == expected, $"{path} TryHash of {whole.Length} bytes");
            Check.Equal(expectedAtOffset, prepared.Hash(whole, offset), $"{path} Hash of {whole.Length} bytes at offset {offset}");
            if (data.Length > max)
            {
                Check.That(!prepared.TryHash(data, out _), $"{path} TryHash accepted {data.Length} bytes with a {keyLength}-byte key");
                byte[] tooLong = data.ToArray();
                Check.Throws<ArgumentException>(() => prepared.Hash(tooLong), $"{path} Hash of {tooLong.Length} bytes with a {keyLength}-byte key");
            }

            CheckTuple(prepared, key, data, 8, path);
            CheckTuple(prepared, key, data, 32, path);
            CheckBatch(prepared, key, data, shape, path);
        }
    }

    private static void CheckTuple(ToeplitzKey prepared, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, int addresses, ToeplitzImplementation path)
    {
        if (data.Length < addresses + 4)
        {
            return;
        }

        foreach (int ports in new[] { 0, 4 })
        {
            ReadOnlySpan<byte> tuple = data[..(addresses + ports)];
            byte[] a = data[..addresses].ToArray();
            byte[] p = data.Slice(addresses, ports).ToArray();
            uint Hash() => addresses == 8 ? prepared.HashIPv4(a, p) : prepared.HashIPv6(a, p);
            if (tuple.Length > prepared.MaxInputLength)
            {
                Check.Throws<ArgumentException>(() => Hash(), $"{path} the {tuple.Length}-byte tuple with a {key.Length}-byte key");
            }
            else
            {
                Check.Equal(ToeplitzReference.Hash(key, tuple), Hash(), $"{path} the {tuple.Length}-byte tuple");
            }
        }
    }

    private static void CheckBatch(ToeplitzKey prepared, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, byte shape, ToeplitzImplementation path)
    {
        // The tuple lengths the batch kernels specialise, and the shape byte's own.
        int length = (shape >> 6) switch { 0 => 12, 1 => 36, 2 => 8, _ => shape & 0x1F };
        int stride = length + ((shape >> 3) & 7);
        if (length > prepared.MaxInputLength || stride == 0)
        {
            return;
        }

        int count = Math.Min(9, data.Length < length ? 0 : 1 + ((data.Length - length) / stride));
        Span<uint> hashes = stackalloc uint[count];
        prepared.HashBatch(data, length, stride, hashes);
        for (int i = 0; i < count; i++)
        {
            Check.Equal(ToeplitzReference.Hash(key, data.Slice(i * stride, length)), hashes[i], $"{path} batch input {i} of {count} ({length} bytes every {stride})");
        }
    }

    private static uint ReferenceAt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> piece, int offset)
    {
        Span<byte> placed = stackalloc byte[offset + piece.Length];
        placed.Clear();
        piece.CopyTo(placed[offset..]);
        return ToeplitzReference.Hash(key, placed);
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        byte[] microsoft = ToeplitzKey.MicrosoftKey.ToArray();

        // The Microsoft verification suite's first IPv4 and IPv6 tuples (addresses, then ports, network order).
        byte[] v4 = [66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xa6];
        byte[] v6 = [0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07, 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0, 0x03, 0x02, 0x01, 0x00, 0x01, 0, 0, 0, 0x08, 0x0a, 0xea, 0x06, 0xa6];
        yield return ("microsoft-ipv4", [35, 0x00, .. microsoft, .. v4]);
        yield return ("microsoft-ipv6", [35, 0x40, .. microsoft, .. v6]);
        yield return ("microsoft-batch", [35, 0x08, .. microsoft, .. v4, 0, 0, .. v4, 0, 0, .. v4]);
        yield return ("long-key", [63, 0xC5, .. Enumerable.Range(0, 68).Select(i => (byte)(i * 37)), .. v6, .. v6]);
        yield return ("short-key", [0, 0x03, 1, 2, 3, 4, 5, 0xff]);
    }
}
