using CsCheck;
using VnetHash.Hashing;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// Every check of a <see cref="ToeplitzKey"/> path, written once; one subclass per <see cref="ToeplitzImplementation"/>.
/// The oracle is <see cref="ToeplitzReference"/>, the bitwise definition (virtio spec "Hash calculation", Microsoft
/// "RSS hashing functions"; ../shared/reference/virtio-spec.md section 2). A path the CPU lacks is skipped, and the
/// skip names the instructions it needs.
/// </summary>
public abstract class ToeplitzKeyTestDriver
{
    private const int Iterations = 400;

    // 200 bytes, far beyond virtio's 40: inputs up to 196 bytes, several GFNI pieces and CLMUL blocks.
    private static readonly byte[] s_longKey = [.. Enumerable.Range(0, 200).Select(i => (byte)((i * 151) ^ (i >> 3) ^ 0x5a))];

    protected abstract ToeplitzImplementation Implementation { get; }

    [SkippableTheory]
    [MemberData(nameof(ToeplitzVector.HashedNames), MemberType = typeof(ToeplitzVector))]
    public void Public_vector_hashes_to_the_published_value(string name)
    {
        ToeplitzVector vector = ToeplitzVector.Named(name);
        ToeplitzKey key = Prepare(vector.Key);

        Assert.Equal(vector.ExpectedHash, key.Hash(vector.Input));
        Assert.True(key.TryHash(vector.Input, out uint hash));
        Assert.Equal(vector.ExpectedHash, hash);
    }

    [SkippableTheory]
    [MemberData(nameof(ToeplitzVector.HashedNames), MemberType = typeof(ToeplitzVector))]
    public void Public_vector_hashes_the_same_from_tuple_spans_read_in_place(string name)
    {
        // The tuple is read where a frame holds it: addresses together, ports elsewhere (after other header bytes).
        ToeplitzVector vector = ToeplitzVector.Named(name);
        ToeplitzKey key = Prepare(vector.Key);
        byte[] input = vector.Input!;
        int addressesLength = input.Length is 8 or 12 ? 8 : 32;
        byte[] frame = new byte[64 + input.Length];
        input.AsSpan(0, addressesLength).CopyTo(frame.AsSpan(13));
        input.AsSpan(addressesLength).CopyTo(frame.AsSpan(13 + addressesLength + 7));
        ReadOnlySpan<byte> addresses = frame.AsSpan(13, addressesLength);
        ReadOnlySpan<byte> ports = frame.AsSpan(13 + addressesLength + 7, input.Length - addressesLength);

        uint hash = addressesLength == 8 ? key.HashIPv4(addresses, ports) : key.HashIPv6(addresses, ports);

        Assert.Equal(vector.ExpectedHash, hash);
    }

    [SkippableFact]
    public void Random_keys_lengths_alignments_and_offsets_match_the_bitwise_definition()
    {
        SkipIfUnsupported();
        Gen<(byte[] Key, byte[] Buffer, int Start, int Length, int Offset)> cases =
            from keyLength in Gen.OneOf(Gen.Const(40), Gen.Const(52), Gen.Const(200), Gen.Int[5, 256])
            from key in Gen.Byte.Array[keyLength]
            from length in Gen.Int[0, keyLength - ToeplitzKey.WindowBytes]
            from offset in Gen.Int[0, keyLength - ToeplitzKey.WindowBytes - length]
            from start in Gen.Int[0, 63]
            from buffer in Gen.Byte.Array[start + length + 16]
            select (key, buffer, start, length, offset);

        cases.Sample(
            (keyBytes, buffer, start, length, offset) =>
            {
                ToeplitzKey key = Prepare(keyBytes);
                ReadOnlySpan<byte> input = buffer.AsSpan(start, length);
                byte[] padded = new byte[offset + length];
                input.CopyTo(padded.AsSpan(offset));

                Assert.Equal(ToeplitzReference.Hash(keyBytes, padded), key.Hash(input, offset));
                if (offset == 0)
                {
                    Assert.Equal(ToeplitzReference.Hash(keyBytes, padded), key.Hash(input));
                }
            },
            iter: Iterations);
    }

    [SkippableFact]
    public void Every_length_up_to_a_long_key_matches_the_bitwise_definition()
    {
        // Walks every block count and tail length of every path, odd lengths included.
        ToeplitzKey key = Prepare(s_longKey);
        byte[] input = new byte[s_longKey.Length - ToeplitzKey.WindowBytes];
        new Random(5).NextBytes(input);
        for (int length = 0; length <= input.Length; length++)
        {
            Assert.Equal(ToeplitzReference.Hash(s_longKey, input.AsSpan(0, length)), key.Hash(input.AsSpan(0, length)));
        }
    }

    [SkippableFact]
    public void Hash_is_linear_so_pieces_at_their_offsets_xor_to_the_whole()
    {
        // virtio-spec.md section 2: contributions of disjoint input pieces XOR together.
        SkipIfUnsupported();
        Gen<(byte[] Key, byte[] Input, int Split1, int Split2)> cases =
            from keyLength in Gen.Int[5, 120]
            from key in Gen.Byte.Array[keyLength]
            from input in Gen.Byte.Array[0, keyLength - ToeplitzKey.WindowBytes]
            from split1 in Gen.Int[0, input.Length]
            from split2 in Gen.Int[split1, input.Length]
            select (key, input, split1, split2);

        cases.Sample(
            (keyBytes, input, split1, split2) =>
            {
                ToeplitzKey key = Prepare(keyBytes);
                uint pieces = key.Hash(input.AsSpan(0, split1), 0)
                    ^ key.Hash(input.AsSpan(split1, split2 - split1), split1)
                    ^ key.Hash(input.AsSpan(split2), split2);

                Assert.Equal(key.Hash(input), pieces);
            },
            iter: Iterations);
    }

    [SkippableFact]
    public void Trailing_zero_bytes_do_not_change_the_hash()
    {
        // virtio-spec.md section 2: the Linux selftest hashes IPv4 tuples zero-padded to 36 bytes.
        ToeplitzKey key = Prepare(ToeplitzKey.MicrosoftKey);
        ToeplitzVector vector = ToeplitzVector.All.First(v => v.Input is { Length: 12 });
        byte[] padded = new byte[36];
        vector.Input!.CopyTo(padded, 0);

        Assert.Equal(vector.ExpectedHash, key.Hash(padded));
    }

    [SkippableFact]
    public void Batch_equals_one_hash_per_input()
    {
        SkipIfUnsupported();
        Gen<(byte[] Key, int InputLength, int Stride, int Count, byte[] Inputs)> cases =
            from keyLength in Gen.OneOf(Gen.Const(40), Gen.Int[5, 100])
            from key in Gen.Byte.Array[keyLength]
            from inputLength in Gen.OneOf(Gen.Const(12), Gen.Const(36), Gen.Const(8), Gen.Int[0, keyLength - ToeplitzKey.WindowBytes])
            where inputLength <= keyLength - ToeplitzKey.WindowBytes
            from stride in Gen.OneOf(Gen.Const(inputLength), Gen.Int[inputLength, inputLength + 20])
            from count in Gen.Int[0, 21]
            from slack in Gen.OneOf(Gen.Const(0), Gen.Int[0, 20])
            from inputs in Gen.Byte.Array[count == 0 ? slack : (stride * (count - 1)) + inputLength + slack]
            select (key, inputLength, stride, count, inputs);

        cases.Sample(
            (keyBytes, inputLength, stride, count, inputs) =>
            {
                ToeplitzKey key = Prepare(keyBytes);
                uint[] hashes = new uint[count];
                key.HashBatch(inputs, inputLength, stride, hashes);
                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(ToeplitzReference.Hash(keyBytes, inputs.AsSpan(i * stride, inputLength)), hashes[i]);
                }
            },
            iter: Iterations);
    }

    [SkippableFact]
    public void Tuple_entry_points_equal_the_hash_of_the_concatenation()
    {
        SkipIfUnsupported();
        Gen<(byte[] Frame, int Gap, bool Ports, bool IPv6)> cases =
            from frame in Gen.Byte.Array[80]
            from gap in Gen.Int[0, 20]
            from ports in Gen.Bool
            from ipv6 in Gen.Bool
            select (frame, gap, ports, ipv6);
        ToeplitzKey key = Prepare(ToeplitzKey.MicrosoftKey);

        cases.Sample(
            (frame, gap, withPorts, ipv6) =>
            {
                int addressesLength = ipv6 ? 32 : 8;
                ReadOnlySpan<byte> addresses = frame.AsSpan(1, addressesLength);
                ReadOnlySpan<byte> ports = withPorts ? frame.AsSpan(1 + addressesLength + gap, 4) : default;
                byte[] tuple = [.. addresses, .. ports];

                uint hash = ipv6 ? key.HashIPv6(addresses, ports) : key.HashIPv4(addresses, ports);

                Assert.Equal(ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, tuple), hash);
            },
            iter: Iterations);
    }

    [SkippableTheory]
    [InlineData(12)] // just long enough for IPv4 addresses alone: no room for the ports the tuple's kernel reads
    [InlineData(15)]
    [InlineData(16)] // the whole IPv4 tuple fits: the addresses are hashed as the tuple with zero ports
    [InlineData(36)] // IPv6 addresses alone, no room for ports
    [InlineData(39)]
    [InlineData(40)]
    [InlineData(52)]
    public void Address_only_tuples_hash_as_the_bitwise_definition_whatever_the_key_length(int keyLength)
    {
        var random = new Random(keyLength);
        byte[] keyBytes = new byte[keyLength];
        byte[] addresses = new byte[32];
        for (int i = 0; i < 50; i++)
        {
            random.NextBytes(keyBytes);
            random.NextBytes(addresses);
            ToeplitzKey key = Prepare(keyBytes);
            Assert.Equal(keyLength - 4, key.MaxInputLength);
            Assert.Equal(ToeplitzReference.Hash(keyBytes, addresses.AsSpan(0, 8)), key.HashIPv4(addresses.AsSpan(0, 8), default));
            if (key.MaxInputLength >= 32)
            {
                Assert.Equal(ToeplitzReference.Hash(keyBytes, addresses), key.HashIPv6(addresses, default));
            }
        }
    }

    [SkippableFact]
    public void The_prepared_key_reports_the_forced_path_and_keeps_the_key()
    {
        ToeplitzKey key = Prepare(s_longKey);

        Assert.Equal(Implementation, key.Implementation);
        Assert.All(Enum.GetValues<ToeplitzOperation>(), operation => Assert.Equal(
            Implementation == ToeplitzImplementation.Auto ? ToeplitzPathChooser.Chosen[operation] : Implementation,
            key.ImplementationOf(operation)));
        Assert.Equal(s_longKey, key.Key.ToArray());
        Assert.Equal(s_longKey.Length - ToeplitzKey.WindowBytes, key.MaxInputLength);
    }

    [SkippableFact]
    public void An_input_longer_than_the_key_allows_is_rejected_with_both_lengths()
    {
        // virtio-spec.md section 2: an input of L bytes needs L + 4 key bytes.
        ToeplitzKey key = Prepare(ToeplitzKey.MicrosoftKey[..15]);
        byte[] tuple = new byte[12];

        ArgumentException error = Assert.Throws<ArgumentException>(() => key.Hash(tuple));
        Assert.Equal("A 12-byte input needs a key of at least 16 bytes, but the key has 15.", error.Message);
        Assert.False(key.TryHash(tuple, out uint hash));
        Assert.Equal(0u, hash);
        Assert.Contains("at least 16 bytes", Assert.Throws<ArgumentException>(() => key.Hash(tuple.AsSpan(0, 4), 8)).Message);
        Assert.Contains("at least 16 bytes", Assert.Throws<ArgumentException>(() => key.HashIPv4(tuple.AsSpan(0, 8), tuple.AsSpan(8))).Message);
        Assert.Contains("at least 16 bytes", Assert.Throws<ArgumentException>(() => key.HashBatch(tuple, 12, 12, new uint[1])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => key.Hash(tuple.AsSpan(0, 1), -1));

        // The same at the IPv6 tuple's size: a key one byte short of the 36-byte tuple still hashes its addresses.
        ToeplitzKey shortForIPv6 = Prepare(ToeplitzKey.MicrosoftKey[..39]);
        Assert.Contains("at least 40 bytes", Assert.Throws<ArgumentException>(() => shortForIPv6.HashIPv6(new byte[32], new byte[4])).Message);
        Assert.Contains("at least 40 bytes", Assert.Throws<ArgumentException>(() => shortForIPv6.Hash(new byte[36])).Message);
    }

    [SkippableFact]
    public void Malformed_tuples_and_batches_are_rejected_with_named_lengths()
    {
        ToeplitzKey key = Prepare(ToeplitzKey.MicrosoftKey);
        byte[] bytes = new byte[64];

        Assert.Contains("must be 8 bytes", Assert.Throws<ArgumentException>(() => key.HashIPv4(bytes.AsSpan(0, 7), default)).Message);
        Assert.Contains("must be 32 bytes", Assert.Throws<ArgumentException>(() => key.HashIPv6(bytes.AsSpan(0, 16), default)).Message);
        Assert.Contains("must be 4 bytes", Assert.Throws<ArgumentException>(() => key.HashIPv4(bytes.AsSpan(0, 8), bytes.AsSpan(0, 2))).Message);
        Assert.Contains("do not fit in 64 bytes", Assert.Throws<ArgumentException>(() => key.HashBatch(bytes, 12, 12, new uint[6])).Message);
        Assert.Contains("stride", Assert.Throws<ArgumentException>(() => key.HashBatch(bytes, 12, 8, new uint[2])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => key.HashBatch(bytes, -1, 12, new uint[1]));
    }

    private ToeplitzKey Prepare(ReadOnlySpan<byte> key)
    {
        SkipIfUnsupported();
        return new ToeplitzKey(key, Implementation);
    }

    private void SkipIfUnsupported() => Skip.IfNot(
        ToeplitzKey.IsSupported(Implementation),
        $"The {Implementation} path was not run: it {ToeplitzKey.WhyUnsupported(Implementation)}.");
}
