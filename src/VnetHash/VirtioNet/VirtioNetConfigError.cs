namespace VnetHash.VirtioNet;

/// <summary>
/// Why a driver's <c>virtio_net_rss_config</c> or <c>virtio_net_hash_config</c> control command is rejected
/// (the device answers <c>VIRTIO_NET_ERR</c>), one value per rule of virtio spec 5.1.6.5.7.
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
}
