namespace VnetHash.Hashing;

/// <summary>
/// Opt-in symmetric hashing, an extension outside the virtio specification: both directions of a flow
/// get the same hash. Never the default, because a guest expects spec Toeplitz values.
/// </summary>
public enum SymmetricMode
{
    /// <summary>Plain Toeplitz over the tuple as the specification orders it.</summary>
    None = 0,

    /// <summary>
    /// Order the addresses (and, independently, the ports) so the smaller comes first, then hash:
    /// keeps the unordered pair exactly (DPDK's <c>SYMMETRIC_TOEPLITZ_SORT</c>).
    /// </summary>
    SortedTuple = 1,

    /// <summary>
    /// Replace source and destination by their XOR in both positions (Linux <c>RXH_XFRM_SYM_XOR</c>):
    /// cheaper, but flows with equal XORs collide.
    /// </summary>
    Xor = 2,
}
