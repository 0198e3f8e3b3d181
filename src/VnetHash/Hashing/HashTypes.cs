namespace VnetHash.Hashing;

/// <summary>
/// The virtio-net hash types (<c>VIRTIO_NET_HASH_TYPE_*</c>, the same bits as Linux's
/// <c>VIRTIO_NET_RSS_HASH_TYPE_*</c>): which packet classes may be hashed and on what.
/// </summary>
/// <remarks>Each bit equals <c>1 &lt;&lt; (report value - 1)</c> of the matching <see cref="HashReport"/>.</remarks>
[Flags]
public enum HashTypes : uint
{
    /// <summary>No type enabled: every packet is unclassified.</summary>
    None = 0,
    /// <summary>IPv4 source and destination addresses (8 input bytes).</summary>
    IPv4 = 1 << 0,
    /// <summary>IPv4 addresses and TCP ports (12 input bytes).</summary>
    TcpV4 = 1 << 1,
    /// <summary>IPv4 addresses and UDP ports (12 input bytes).</summary>
    UdpV4 = 1 << 2,
    /// <summary>IPv6 source and destination addresses (32 input bytes).</summary>
    IPv6 = 1 << 3,
    /// <summary>IPv6 addresses and TCP ports (36 input bytes).</summary>
    TcpV6 = 1 << 4,
    /// <summary>IPv6 addresses and UDP ports (36 input bytes).</summary>
    UdpV6 = 1 << 5,
    /// <summary>IPv6 with extension headers: home address (or source) and type-2 routing address (or destination).</summary>
    IPv6Ex = 1 << 6,
    /// <summary>As <see cref="IPv6Ex"/> plus TCP ports.</summary>
    TcpV6Ex = 1 << 7,
    /// <summary>As <see cref="IPv6Ex"/> plus UDP ports.</summary>
    UdpV6Ex = 1 << 8,

    /// <summary>The six types without the <c>_EX</c> variants (<c>0x3F</c>): what the Linux series supports.</summary>
    AllNonEx = IPv4 | TcpV4 | UdpV4 | IPv6 | TcpV6 | UdpV6,
    /// <summary>The three <c>_EX</c> types.</summary>
    AllEx = IPv6Ex | TcpV6Ex | UdpV6Ex,
    /// <summary>All nine types defined by the virtio specification (<c>0x1FF</c>).</summary>
    All = AllNonEx | AllEx,
}
