using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.ToeplitzCheck;

/// <summary>
/// One Toeplitz path against the bitwise definition (<see cref="ToeplitzReference"/>) and the public vectors: every
/// input length at every offset a key allows, the tuple kernels, batches, and whole frames through the hash rules.
/// </summary>
internal sealed class PathChecks(ToeplitzImplementation path)
{
    private int _checked;

    public int Failures { get; private set; }

    public string Summary => $"{path}{Chosen()}: {_checked} hashes checked, {Failures} differ";

    // What Auto chose for each operation in this process (by timing them, here under emulation).
    private string Chosen()
    {
        if (path != ToeplitzImplementation.Auto)
        {
            return "";
        }

        var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey);
        return $" ({string.Join(", ", Enum.GetValues<ToeplitzOperation>().Select(op => $"{op} {key.ImplementationOf(op)}"))})";
    }

    public void PublicVectors(IEnumerable<(byte[] Key, byte[] Input, uint Hash)> vectors)
    {
        foreach ((byte[] key, byte[] input, uint hash) in vectors)
        {
            Check(new ToeplitzKey(key, path).Hash(input), hash, $"public vector {Convert.ToHexString(input)}");
        }
    }

    public void EveryLengthAndOffset(int seed)
    {
        var random = new Random(seed);
        foreach (int keyLength in new[] { 40, 52, 64 })
        {
            byte[] keyBytes = Bytes(random, keyLength);
            var key = new ToeplitzKey(keyBytes, path);
            for (int length = 0; length <= key.MaxInputLength; length++)
            {
                for (int offset = 0; offset + length <= key.MaxInputLength; offset++)
                {
                    byte[] input = Bytes(random, length);
                    uint expected = offset == 0
                        ? ToeplitzReference.Hash(keyBytes, input)
                        : ToeplitzReference.Hash(keyBytes, [.. new byte[offset], .. input]);
                    Check(offset == 0 ? key.Hash(input) : key.Hash(input, offset), expected, $"key {keyLength} B, {length} B at {offset}");
                }
            }

            foreach (int addresses in new[] { 8, 32 })
            {
                for (int i = 0; i < 200; i++)
                {
                    byte[] tuple = Bytes(random, addresses + 4);
                    uint expected = ToeplitzReference.Hash(keyBytes, tuple);
                    uint actual = addresses == 8 ? key.HashIPv4(tuple.AsSpan(0, 8), tuple.AsSpan(8)) : key.HashIPv6(tuple.AsSpan(0, 32), tuple.AsSpan(32));
                    Check(actual, expected, $"key {keyLength} B, {addresses + 4}-byte tuple");
                }
            }
        }
    }

    public void Batches(int seed)
    {
        var random = new Random(seed);
        byte[] keyBytes = Bytes(random, 40);
        var key = new ToeplitzKey(keyBytes, path);
        foreach ((int length, int stride) in new[] { (12, 12), (12, 16), (36, 36), (36, 40), (20, 24) })
        {
            const int Count = 37;
            byte[] inputs = Bytes(random, ((Count - 1) * stride) + length);
            var hashes = new uint[Count];
            key.HashBatch(inputs, length, stride, hashes);
            for (int i = 0; i < Count; i++)
            {
                Check(hashes[i], ToeplitzReference.Hash(keyBytes, inputs.AsSpan(i * stride, length)), $"batch of {length} B, stride {stride}, input {i}");
            }
        }
    }

    public void Frames(int seed)
    {
        // Table is held to the definition above; the frame path of this path must choose and hash as Table's does.
        var reference = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey, ToeplitzImplementation.Table), HashTypes.All);
        var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey, path), HashTypes.All);
        var generator = new MixedFrameGenerator(seed) { Damaged = true, BeyondBounds = true };
        for (int i = 0; i < 3000; i++)
        {
            byte[] frame = generator.Next();
            HashResult expected = reference.Hash(frame, FrameKind.Ethernet);
            HashResult actual = hasher.Hash(frame, FrameKind.Ethernet);
            Check(actual.Value, expected.Value, $"frame {i} ({Convert.ToHexString(frame.AsSpan(0, Math.Min(frame.Length, 64)))})");
            if (actual.Report != expected.Report)
            {
                Fail($"frame {i}: report {actual.Report}, Table's {expected.Report}");
            }
        }
    }

    private void Check(uint actual, uint expected, string what)
    {
        _checked++;
        if (actual != expected)
        {
            Fail($"{what}: {actual:x8}, the definition gives {expected:x8}");
        }
    }

    private void Fail(string message)
    {
        Failures++;
        if (Failures <= 20)
        {
            Console.WriteLine($"{path}: {message}");
        }
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
