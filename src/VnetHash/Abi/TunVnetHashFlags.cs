namespace VnetHash.Abi;

/// <summary>The <c>flags</c> of the v5 <c>struct tun_vnet_hash</c> (<c>TUN_VNET_HASH_*</c>).</summary>
[Flags]
public enum TunVnetHashFlags : ushort
{
    /// <summary>Neither reporting nor RSS: the configuration is cleared.</summary>
    None = 0,

    /// <summary><c>TUN_VNET_HASH_REPORT</c>: write the hash into <c>virtio_net_hdr_v1_hash</c>.</summary>
    Report = 1,

    /// <summary><c>TUN_VNET_HASH_RSS</c>: steer with RSS; the RSS part, table and key follow.</summary>
    Rss = 2,

    /// <summary>Every bit defined above.</summary>
    ValidBits = Report | Rss,
}
