using System.Runtime.Intrinsics;
using CsCheck;
using VnetHash.Hashing;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// The GFNI paths' matrices and data layout, checked on managed instruction models against the bitwise definition,
/// so they are tested on CPUs without GFNI (../shared/reference/virtio-spec.md section 4.4 and 4.6). The real
/// instructions run in <see cref="ToeplitzKeyGfni256Tests"/> and <see cref="ToeplitzKeyGfni512Tests"/> where the CPU has them.
/// </summary>
public sealed class ToeplitzGfniModelTests
{
    [Fact]
    public void Affine_model_applies_the_documented_identity_and_bit_reversal_matrices()
    {
        // Identity 0x0102040810204080 and bit reversal 0x8040201008040201 (virtio-spec.md 4.6); the constant XORs in.
        byte[] x = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        byte[] identity = [.. Enumerable.Repeat(BitConverter.GetBytes(0x0102040810204080UL), 32).SelectMany(b => b)];
        byte[] reversal = [.. Enumerable.Repeat(BitConverter.GetBytes(0x8040201008040201UL), 32).SelectMany(b => b)];

        Assert.Equal(x, ToeplitzGfniModel.AffineTransform(x, identity, 0));
        Assert.Equal(x.Select(b => (byte)(b ^ 0x5a)), ToeplitzGfniModel.AffineTransform(x, identity, 0x5a));
        Assert.Equal(x.Select(ReverseBits), ToeplitzGfniModel.AffineTransform(x, reversal, 0));
    }

    [Fact]
    public void Matrices_of_the_microsoft_key_are_the_published_ones()
    {
        // DPDK rte_thash_complete_matrix for the Microsoft key (virtio-spec.md 4.4): M[0], M[1].
        ulong[] matrices = ToeplitzKey.BuildGfniMatrices(ToeplitzKey.MicrosoftKey);

        Assert.Equal(0xad56abd56ab5da6dUL, matrices[0]);
        Assert.Equal(0x2b954aa5d269b45aUL, matrices[1]);
    }

    [Fact]
    public void Matrix_n_plus_q_maps_input_byte_n_to_its_share_of_hash_byte_q()
    {
        byte[] key = [.. Enumerable.Range(0, 52).Select(i => (byte)((i * 73) + 41))];
        ulong[] matrices = ToeplitzKey.BuildGfniMatrices(key);
        for (int n = 0; n < key.Length - ToeplitzKey.WindowBytes; n += 5)
        {
            for (int value = 1; value < 256; value += 37)
            {
                byte[] input = new byte[n + 1];
                input[n] = (byte)value;
                uint expected = ToeplitzReference.Hash(key, input);
                for (int q = 0; q < 4; q++)
                {
                    byte share = ToeplitzGfniModel.AffineTransform([(byte)value, 0, 0, 0, 0, 0, 0, 0], BitConverter.GetBytes(matrices[n + q]), 0)[0];
                    Assert.Equal((byte)(expected >> (24 - (8 * q))), share);
                }
            }
        }
    }

    [Fact]
    public void Gfni512_layout_on_the_models_reproduces_every_public_vector()
    {
        ulong[] matrices = ToeplitzKey.BuildGfniMatrices(ToeplitzKey.MicrosoftKey);
        foreach (ToeplitzVector vector in ToeplitzVector.All.Where(v => v.Input is not null))
        {
            Assert.Equal(vector.ExpectedHash, ToeplitzGfniModel.Gfni512(matrices, vector.Input, 0));
        }
    }

    [Fact]
    public void Gfni256_layout_on_the_models_reproduces_every_public_vector()
    {
        ulong[] matrices = ToeplitzKey.BuildGfniMatrices(ToeplitzKey.MicrosoftKey);
        foreach (ToeplitzVector vector in ToeplitzVector.All.Where(v => v.Input is not null))
        {
            Assert.Equal(vector.ExpectedHash, ToeplitzGfniModel.Gfni256(matrices, vector.Input, 0));
        }
    }

    [Fact]
    public void Both_layouts_on_the_models_match_the_bitwise_definition_for_random_keys_lengths_and_offsets()
    {
        Gen<(byte[] Key, byte[] Input, int Offset)> cases =
            from keyLength in Gen.OneOf(Gen.Const(40), Gen.Const(52), Gen.Const(200), Gen.Int[5, 120])
            from key in Gen.Byte.Array[keyLength]
            from input in Gen.Byte.Array[0, keyLength - ToeplitzKey.WindowBytes]
            from offset in Gen.Int[0, keyLength - ToeplitzKey.WindowBytes - input.Length]
            select (key, input, offset);

        cases.Sample(
            (key, input, offset) =>
            {
                ulong[] matrices = ToeplitzKey.BuildGfniMatrices(key);
                byte[] padded = new byte[offset + input.Length];
                input.CopyTo(padded, offset);
                uint expected = ToeplitzReference.Hash(key, padded);

                Assert.Equal(expected, ToeplitzGfniModel.Gfni512(matrices, input, offset));
                Assert.Equal(expected, ToeplitzGfniModel.Gfni256(matrices, input, offset));
            },
            iter: 300);
    }

    [Fact]
    public void Gfni512_two_input_pass_puts_the_first_hash_in_the_low_dword_and_the_second_in_the_high()
    {
        Gen<(byte[] Key, byte[] First, byte[] Second)> cases =
            from key in Gen.Byte.Array[40, 60]
            from length in Gen.Int[1, Math.Min(ToeplitzKey.GfniPieceLength, key.Length - ToeplitzKey.WindowBytes)]
            from first in Gen.Byte.Array[length]
            from second in Gen.Byte.Array[length]
            select (key, first, second);

        cases.Sample(
            (key, first, second) =>
            {
                ulong both = ToeplitzGfniModel.Gfni512Pass(ToeplitzKey.BuildGfniMatrices(key), first, 0, second);

                Assert.Equal(ToeplitzReference.Hash(key, first), (uint)both);
                Assert.Equal(ToeplitzReference.Hash(key, second), (uint)(both >> 32));
            },
            iter: 200);
    }

    [Fact]
    public void Tuple_layout_spread_indices_are_the_ones_the_kernel_uses()
    {
        Assert.Equal(ToeplitzKey.BuildGfniTupleSpread(ToeplitzKey.Gfni12Blocks, 12, 8, -1), Bytes(ToeplitzKey.Gfni12Spread));
        Assert.Equal(ToeplitzKey.BuildGfniTupleSpread(ToeplitzKey.Gfni36Blocks, 36, 32, -1), Bytes(ToeplitzKey.Gfni36Spread));

        static byte[] Bytes(Vector512<byte> vector)
        {
            byte[] bytes = new byte[Vector512<byte>.Count];
            vector.CopyTo(bytes);
            return bytes;
        }
    }

    [Fact]
    public void Both_tuple_kernels_on_the_models_reproduce_every_public_12_and_36_byte_vector()
    {
        ulong[] matrices = ToeplitzKey.BuildGfniMatrices(ToeplitzKey.MicrosoftKey);
        ToeplitzVector[] tuples = [.. ToeplitzVector.All.Where(v => v.Input is { Length: 12 or 36 })];

        Assert.NotEmpty(tuples);
        Assert.All(tuples, vector => Assert.Equal(vector.ExpectedHash, ToeplitzGfniModel.Gfni512Tuple(matrices, vector.Input)));
        Assert.All(tuples, vector => Assert.Equal(vector.ExpectedHash, ToeplitzGfniModel.Gfni256Tuple(matrices, vector.Input)));
    }

    [Fact]
    public void Gfni512_tuple_layout_on_the_models_matches_the_bitwise_definition_alone_and_in_pairs()
    {
        Gen<(byte[] Key, byte[] First, byte[] Second)> cases =
            from length in Gen.OneOf(Gen.Const(12), Gen.Const(36))
            from key in Gen.Byte.Array[length + ToeplitzKey.WindowBytes, 64]
            from first in Gen.Byte.Array[length]
            from second in Gen.Byte.Array[length]
            select (key, first, second);

        cases.Sample(
            (key, first, second) =>
            {
                ulong[] matrices = ToeplitzKey.BuildGfniMatrices(key);
                ulong both = ToeplitzGfniModel.Gfni512TuplePair(matrices, first, second);

                Assert.Equal(ToeplitzReference.Hash(key, first), ToeplitzGfniModel.Gfni512Tuple(matrices, first));
                Assert.Equal(ToeplitzReference.Hash(key, first), (uint)both);
                Assert.Equal(ToeplitzReference.Hash(key, second), (uint)(both >> 32));
            },
            iter: 200);
    }

    [Fact]
    public void Gfni256_tuple_windows_are_the_ones_the_kernels_use()
    {
        // Every shift the two kernels name. The list is copied from the kernels: that they name the right shifts, and
        // read the right windows, only the real instructions show (ToeplitzKeyGfni256Tests, Gfni256TupleKernelTests).
        foreach (int shift in new[] { -3, 0, 1, 4, 5, 8, 9, 13 })
        {
            byte[] bytes = new byte[Vector256<byte>.Count];
            ToeplitzKey.Gfni256Window(shift).CopyTo(bytes);
            Assert.Equal(ToeplitzKey.BuildGfni256Window(shift), bytes);
        }
    }

    [Fact]
    public void Gfni256_tuple_kernels_on_the_models_match_the_bitwise_definition()
    {
        Gen<(byte[] Key, byte[] Tuple)> cases =
            from length in Gen.OneOf(Gen.Const(12), Gen.Const(36))
            from key in Gen.Byte.Array[length + ToeplitzKey.WindowBytes, 64]
            from tuple in Gen.Byte.Array[length]
            select (key, tuple);

        cases.Sample(
            (key, tuple) => Assert.Equal(ToeplitzReference.Hash(key, tuple), ToeplitzGfniModel.Gfni256Tuple(ToeplitzKey.BuildGfniMatrices(key), tuple)),
            iter: 200);
    }

    private static byte ReverseBits(byte value)
    {
        int reversed = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            reversed |= ((value >> bit) & 1) << (7 - bit);
        }

        return (byte)reversed;
    }
}
