namespace VnetHash;

/// <summary>
/// The rule a configuration breaks: an RSS configuration's values, a kernel ioctl argument (the kernel accepts
/// most of these silently, the decoders do not) or a driver's <c>virtio_net_rss_config</c> or
/// <c>virtio_net_hash_config</c> control command (the device answers <c>VIRTIO_NET_ERR</c>, virtio spec 5.1.6.5.7).
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
}
