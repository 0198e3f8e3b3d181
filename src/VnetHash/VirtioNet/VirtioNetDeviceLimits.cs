using VnetHash.Hashing;

namespace VnetHash.VirtioNet;

/// <summary>
/// What a virtio-net device advertises in its configuration space and a control command is checked against:
/// <c>max_virtqueue_pairs</c>, <c>rss_max_key_size</c>, <c>rss_max_indirection_table_length</c>,
/// <c>supported_hash_types</c> and <c>supported_tunnel_types</c> (<see cref="VirtioNetDeviceConfig.ToLimits"/>).
/// </summary>
/// <param name="QueuePairs">The receive/transmit queue pairs (1 to 0x8000).</param>
/// <param name="MaxKeySize">The longest Toeplitz key; the spec requires at least 40.</param>
/// <param name="MaxIndirectionTableLength">The most indirection table entries; the spec requires at least 128 with RSS.</param>
/// <param name="SupportedHashTypes">The hash types the device computes.</param>
/// <param name="SupportedTunnelTypes">The encapsulation types the device hashes on the inner header (<c>VIRTIO_NET_F_HASH_TUNNEL</c>).</param>
public readonly record struct VirtioNetDeviceLimits(
    int QueuePairs,
    int MaxKeySize = VirtioNetDeviceLimits.DefaultMaxKeySize,
    int MaxIndirectionTableLength = VirtioNetDeviceLimits.DefaultMaxIndirectionTableLength,
    HashTypes SupportedHashTypes = HashTypes.All,
    TunnelTypes SupportedTunnelTypes = TunnelTypes.All)
{
    /// <summary>The key size QEMU and Linux use and the spec's minimum for <c>rss_max_key_size</c>.</summary>
    public const int DefaultMaxKeySize = 40;

    /// <summary>The table length QEMU advertises and the spec's minimum for <c>rss_max_indirection_table_length</c>.</summary>
    public const int DefaultMaxIndirectionTableLength = 128;

    /// <summary>The most queue pairs a device can have (<c>max_virtqueue_pairs</c>).</summary>
    public const int MaxQueuePairs = 0x8000;
}
