using VnetHash.Hashing;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// A tuple length as a type, so that a loop generic over it sees the length as a constant, as the C peer's loops do
/// (docs/design.md, "`bench`'s timed loops"): the hasher's test of the length then folds away, as it does for a caller
/// that hashes one kind of tuple.
/// </summary>
internal interface ITupleLength
{
    static abstract int Length { get; }
}

/// <summary>The IPv4 4-tuple: two addresses and two ports, 12 bytes.</summary>
internal readonly struct IPv4Tuple : ITupleLength
{
    public static int Length => HashInput.IPv4WithPortsLength;
}

/// <summary>The IPv6 4-tuple: two addresses and two ports, 36 bytes.</summary>
internal readonly struct IPv6Tuple : ITupleLength
{
    public static int Length => HashInput.IPv6WithPortsLength;
}
