namespace VnetHash.Hashing;

/// <summary>
/// The kinds of work a <see cref="ToeplitzKey"/> chooses a path for, each on its own: a path that wins for single
/// tuples may lose for batches (see <see cref="ToeplitzKey.ImplementationOf"/>).
/// </summary>
public enum ToeplitzOperation
{
    /// <summary>
    /// One 12-byte input at byte 0: <see cref="ToeplitzKey.Hash(ReadOnlySpan{byte})"/> of an IPv4 4-tuple, and
    /// <see cref="ToeplitzKey.HashIPv4"/> with ports.
    /// </summary>
    Hash12 = 0,

    /// <summary>
    /// One 36-byte input at byte 0: <see cref="ToeplitzKey.Hash(ReadOnlySpan{byte})"/> of an IPv6 4-tuple, and
    /// <see cref="ToeplitzKey.HashIPv6"/> with ports.
    /// </summary>
    Hash36 = 1,

    /// <summary>
    /// Every other single input: other lengths, pieces at an offset (<see cref="ToeplitzKey.Hash(ReadOnlySpan{byte}, int)"/>),
    /// address-only tuples, and batches of inputs that are neither 12 nor 36 bytes long.
    /// </summary>
    HashOther = 2,

    /// <summary><see cref="ToeplitzKey.HashBatch"/> of 12-byte inputs.</summary>
    Batch12 = 3,

    /// <summary><see cref="ToeplitzKey.HashBatch"/> of 36-byte inputs.</summary>
    Batch36 = 4,
}
