namespace VnetHash.VirtioNet;

/// <summary>
/// Why a driver's <c>virtio_net_rss_config</c>, <c>virtio_net_hash_config</c> or <c>virtnet_hash_tunnel</c> control
/// command is rejected (the device answers <c>VIRTIO_NET_ERR</c>), or why a device configuration
/// (<c>virtio_net_config</c>) breaks a rule of the specification; one value per rule.
/// </summary>
public enum VirtioNetConfigError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The command ends before a field it must contain.</summary>
    Truncated,

    /// <summary>Bytes follow the key.</summary>
    TrailingBytes,

    /// <summary><c>hash_types</c> has bits that no hash type defines.</summary>
    UnknownHashTypes,

    /// <summary><c>hash_types</c> enables a type the device does not advertise in <c>supported_hash_types</c>.</summary>
    UnsupportedHashTypes,

    /// <summary><c>indirection_table_mask</c> + 1 is not a power of two.</summary>
    TableLengthNotPowerOfTwo,

    /// <summary><c>indirection_table_mask</c> is not below <c>rss_max_indirection_table_length</c>.</summary>
    TableTooLong,

    /// <summary>A queue id (<c>rss_rq_id</c>) has the reserved bit 15 set.</summary>
    ReservedQueueBit,

    /// <summary><c>unclassified_queue</c> names no existing receive queue.</summary>
    UnclassifiedQueueOutOfRange,

    /// <summary>An indirection table entry names no existing receive queue.</summary>
    TableEntryOutOfRange,

    /// <summary><c>max_tx_vq</c> is 0 or more than the device's queue pairs.</summary>
    MaxTxVqOutOfRange,

    /// <summary><c>hash_key_length</c> exceeds <c>rss_max_key_size</c>.</summary>
    KeyTooLong,

    /// <summary>Hash types are enabled with an empty key.</summary>
    KeyMissing,

    /// <summary>The key is too short for the longest input the enabled types hash (input length + 4).</summary>
    KeyTooShortForTypes,

    /// <summary>A <c>virtio_net_hash_config</c> reserved field is not zero.</summary>
    ReservedNotZero,

    /// <summary><c>enabled_tunnel_types</c> has bits that no encapsulation type defines.</summary>
    UnknownTunnelTypes,

    /// <summary><c>enabled_tunnel_types</c> enables a type the device does not advertise in <c>supported_tunnel_types</c>.</summary>
    UnsupportedTunnelTypes,

    /// <summary><c>max_virtqueue_pairs</c> is not from 1 to 0x8000.</summary>
    QueuePairsOutOfRange,

    /// <summary><c>mtu</c> is not from 68 to 65535.</summary>
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
}
