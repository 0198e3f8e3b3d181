using VnetHash.Hashing;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>The set-bit-loop baseline as a <see cref="ITupleHasher"/>.</summary>
internal readonly struct SetBitLoopHasher(SetBitLoopToeplitz hasher) : ITupleHasher
{
    public uint Hash(ReadOnlySpan<byte> input) => hasher.Hash(input);
}

/// <summary>The byte-table baseline as a <see cref="ITupleHasher"/>.</summary>
internal readonly struct ByteTableHasher(ByteTableToeplitz hasher) : ITupleHasher
{
    public uint Hash(ReadOnlySpan<byte> input) => hasher.Hash(input);
}

/// <summary>A prepared <see cref="ToeplitzKey"/> as a <see cref="ITupleHasher"/>.</summary>
internal readonly struct PreparedKeyHasher(ToeplitzKey key) : ITupleHasher
{
    public uint Hash(ReadOnlySpan<byte> input) => key.Hash(input);
}
