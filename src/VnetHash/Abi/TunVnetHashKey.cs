using VnetHash.Hashing;

namespace VnetHash.Abi;

/// <summary>
/// The Toeplitz key as the series' kernels take it: a plain byte string after the indirection table whose
/// length the kernel derives from the hash types, not from the caller.
/// </summary>
/// <remarks>
/// <para>
/// The kernel's key-length function tests the type bits against report values: any IPv4-family type
/// (bits 0 to 2) makes it read 40 key bytes, otherwise it reads 4 and hashes IPv6 with key words it never
/// initialised (reference kernel-series §3.7).
/// </para>
/// <para>
/// Decision: the encoders always send a full <see cref="RegionLength"/>-byte key region (the key, truncated
/// or zero-padded, which changes no hash because no input needs more than 40 key bytes) and never change the
/// hash types: adding an IPv4 type would make IPv4 packets hashed that the configuration leaves unclassified.
/// Whether the kernel then hashes correctly is exposed by <see cref="KernelHashesCorrectly"/>; a backend
/// that talks to such a kernel decides to add an IPv4-family type or to refuse the configuration.
/// </para>
/// </remarks>
public static class TunVnetHashKey
{
    /// <summary>The key bytes every encoder sends: <c>VIRTIO_NET_RSS_MAX_KEY_SIZE</c>.</summary>
    public const int RegionLength = 40;

    /// <summary>The key bytes the kernel reads when no IPv4-family type is enabled.</summary>
    public const int ShortReadLength = 4;

    private const HashTypes IPv4Family = HashTypes.IPv4 | HashTypes.TcpV4 | HashTypes.UdpV4;

    /// <summary>The key bytes the series' kernel reads for these types: 40 with any IPv4-family type, else 4.</summary>
    public static int KernelKeyLengthRead(HashTypes types) => (types & IPv4Family) != 0 ? RegionLength : ShortReadLength;

    /// <summary>
    /// Whether the series' kernel hashes these types with the key it was given: true when it reads the whole
    /// key, or when no type it supports (<see cref="HashTypes.AllNonEx"/>) is enabled and it hashes nothing.
    /// </summary>
    public static bool KernelHashesCorrectly(HashTypes types) =>
        (types & HashTypes.AllNonEx) == 0 || KernelKeyLengthRead(types) >= HashInput.RequiredKeyLength(types & HashTypes.AllNonEx);

    /// <summary>Writes the key region: the first 40 key bytes, zeros after a shorter key.</summary>
    internal static void WriteRegion(Span<byte> region, ReadOnlySpan<byte> key)
    {
        int copied = Math.Min(key.Length, RegionLength);
        key[..copied].CopyTo(region);
        region[copied..RegionLength].Clear();
    }
}
