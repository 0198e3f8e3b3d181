namespace VnetHash.Hashing;

/// <summary>
/// The value written to <c>hash_report</c> of <c>virtio_net_hdr_v1_hash</c> (<c>VIRTIO_NET_HASH_REPORT_*</c>):
/// which rule produced the hash.
/// </summary>
public enum HashReport : ushort
{
    /// <summary>No hash was computed; the hash value is 0 and RSS uses the unclassified queue.</summary>
    None = 0,
    /// <summary>IPv4 addresses.</summary>
    IPv4 = 1,
    /// <summary>IPv4 addresses and TCP ports.</summary>
    TcpV4 = 2,
    /// <summary>IPv4 addresses and UDP ports.</summary>
    UdpV4 = 3,
    /// <summary>IPv6 addresses.</summary>
    IPv6 = 4,
    /// <summary>IPv6 addresses and TCP ports.</summary>
    TcpV6 = 5,
    /// <summary>IPv6 addresses and UDP ports.</summary>
    UdpV6 = 6,
    /// <summary>IPv6 home/routing addresses (<c>_EX</c>).</summary>
    IPv6Ex = 7,
    /// <summary>IPv6 home/routing addresses and TCP ports (<c>_EX</c>).</summary>
    TcpV6Ex = 8,
    /// <summary>IPv6 home/routing addresses and UDP ports (<c>_EX</c>).</summary>
    UdpV6Ex = 9,
}
