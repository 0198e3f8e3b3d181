namespace VnetHash;

/// <summary>
/// The rule a configuration breaks: an RSS configuration's values, a kernel ioctl argument (the kernel accepts
/// most of these silently, the decoders do not), a driver's <c>virtio_net_rss_config</c>, <c>virtio_net_hash_config</c>
/// or <c>virtnet_hash_tunnel</c> control command (the device answers <c>VIRTIO_NET_ERR</c>, virtio spec 5.1.6.5.7
/// and "Inner Header Hash"), or a device's <c>virtio_net_config</c>.
/// </summary>
public enum ConfigurationRule
{
    /// <summary>No rule is broken.</summary>
    None = 0,

    /// <summary>The bytes end before a field they must contain (a structure, the indirection table or the key).</summary>
    Truncated,

    /// <summary>Bytes follow the last field.</summary>
    TrailingBytes,

    /// <summary>Flag bits that no flag defines.</summary>
    UnknownFlags,

    /// <summary>Hash type bits that no virtio hash type defines.</summary>
    UnknownHashTypes,

    /// <summary><c>hash_types</c> enables a type the device does not advertise in <c>supported_hash_types</c>.</summary>
    UnsupportedHashTypes,

    /// <summary>A padding or reserved field is not zero.</summary>
    ReservedNotZero,

    /// <summary>The indirection table length (mask + 1) is not a power of two.</summary>
    TableLengthNotPowerOfTwo,

    /// <summary>The indirection table is longer than the device or the structure allows.</summary>
    TableTooLong,

    /// <summary>A queue id (<c>rss_rq_id</c>) has the reserved bit 15 set.</summary>
    ReservedQueueBit,

    /// <summary><c>unclassified_queue</c> names no existing receive queue.</summary>
    UnclassifiedQueueOutOfRange,

    /// <summary>An indirection table entry names no existing receive queue.</summary>
    TableEntryOutOfRange,

    /// <summary><c>max_tx_vq</c> is 0 or more than the device's queue pairs.</summary>
    MaxTxVqOutOfRange,

    /// <summary>The queue count is outside 1 to 65536.</summary>
    QueueCountOutOfRange,

    /// <summary>The key is longer than the device or the length field allows.</summary>
    KeyTooLong,

    /// <summary>Hash types are enabled with an empty key.</summary>
    KeyMissing,

    /// <summary>The key is too short for the longest input the enabled types hash (input length + 4).</summary>
    KeyTooShortForTypes,

    /// <summary>The hash profile is none of <see cref="Hashing.HashProfile"/>'s values.</summary>
    UnknownProfile,

    /// <summary>The symmetric mode is none of <see cref="Hashing.SymmetricMode"/>'s values.</summary>
    UnknownSymmetricMode,

    /// <summary>The Toeplitz path named (in <c>VNETHASH_TOEPLITZ</c>) is none of <see cref="Hashing.ToeplitzImplementation"/>'s names.</summary>
    UnknownToeplitzPath,

    /// <summary>The Toeplitz path named (in <c>VNETHASH_TOEPLITZ</c>) needs instructions this CPU does not report.</summary>
    UnsupportedToeplitzPath,

    /// <summary>Encapsulation type bits (<c>enabled_tunnel_types</c>) that no virtio encapsulation type defines.</summary>
    UnknownTunnelTypes,

    /// <summary>
    /// Encapsulation types the device (<c>supported_tunnel_types</c>) or the profile (<see cref="Hashing.TunnelSupport.SupportedBy"/>)
    /// does not support.
    /// </summary>
    UnsupportedTunnelTypes,

    /// <summary>UDP tunnel ports that cannot identify the tunnels: port 0, or a port shared by two tunnels.</summary>
    UnusableTunnelPorts,

    /// <summary><c>max_virtqueue_pairs</c> is not from 1 to 0x8000.</summary>
    QueuePairsOutOfRange,

    /// <summary><c>mtu</c> is below 68.</summary>
    MtuOutOfRange,

    /// <summary><c>speed</c> is neither from 0 to 0x7fffffff nor 0xffffffff (unknown).</summary>
    SpeedOutOfRange,

    /// <summary><c>duplex</c> is none of 0x00, 0x01 and 0xff (unknown).</summary>
    DuplexOutOfRange,

    /// <summary><c>rss_max_key_size</c> is below 40 with <c>VIRTIO_NET_F_RSS</c> or <c>VIRTIO_NET_F_HASH_REPORT</c>.</summary>
    MaxKeySizeTooSmall,

    /// <summary><c>rss_max_indirection_table_length</c> is below 128 with <c>VIRTIO_NET_F_RSS</c>.</summary>
    MaxIndirectionTableLengthTooSmall,

    /// <summary>A feature is offered without the features it requires (<c>VIRTIO_NET_F_HASH_TUNNEL</c> needs <c>CTRL_VQ</c> and <c>RSS</c> or <c>HASH_REPORT</c>).</summary>
    FeatureRequirementMissing,

    /// <summary>A NIC reports no RSS indirection table: it does not support RSS.</summary>
    NoRss,

    /// <summary>A NIC hashes with a function other than Toeplitz (<c>ethtool -x</c>'s hash function), which is not modelled.</summary>
    UnsupportedHashFunction,

    /// <summary>A NIC transforms the hash input in a way that is not modelled (only <c>symmetric-xor</c> is).</summary>
    UnsupportedInputTransform,

    /// <summary>A flow type hashes fields no virtio-net hash type hashes (a MAC address, VLAN tag, one address or one port).</summary>
    UnsupportedFlowFields,
}
