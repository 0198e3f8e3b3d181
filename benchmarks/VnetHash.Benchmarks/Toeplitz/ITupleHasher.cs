namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>
/// One way of hashing a tuple. Implemented by structs, so a generic loop over it is compiled once per hasher with the
/// hash inlined: every variant is timed inside the same loop and pays for the same loop.
/// </summary>
internal interface ITupleHasher
{
    uint Hash(ReadOnlySpan<byte> input);
}
