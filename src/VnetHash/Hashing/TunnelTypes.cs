namespace VnetHash.Hashing;

/// <summary>
/// The virtio-net encapsulation types for inner-header hashing (<c>VIRTIO_NET_HASH_TUNNEL_TYPE_*</c>, feature
/// <c>VIRTIO_NET_F_HASH_TUNNEL</c>): when a packet's outer header matches an enabled type, the hash is computed over
/// the inner packet. Which frames match which type is decided in docs/design.md ("Tunnels").
/// </summary>
[Flags]
public enum TunnelTypes : uint
{
    /// <summary>No type enabled: every packet is hashed on its outer header (the state after a device reset).</summary>
    None = 0,

    /// <summary>GRE over IPv4 (RFC 2784) without the Key and Sequence Number extensions.</summary>
    Gre2784 = 1 << 0,

    /// <summary>GRE over IPv4 with a Key or a Sequence Number (RFC 2890).</summary>
    Gre2890 = 1 << 1,

    /// <summary>GRE with IPv6 as the delivery or the payload protocol (RFC 7676).</summary>
    Gre7676 = 1 << 2,

    /// <summary>GRE in UDP (RFC 8086), by UDP destination port (IANA 4754).</summary>
    GreUdp = 1 << 3,

    /// <summary>VXLAN (RFC 7348), by UDP destination port (IANA 4789).</summary>
    Vxlan = 1 << 4,

    /// <summary>VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe-12), by UDP destination port (IANA 4790).</summary>
    VxlanGpe = 1 << 5,

    /// <summary>GENEVE (RFC 8926), by UDP destination port (IANA 6081).</summary>
    Geneve = 1 << 6,

    /// <summary>IPv4 in IPv4 (RFC 2003, IP protocol 4).</summary>
    Ipip = 1 << 7,

    /// <summary>NVGRE (RFC 7637): GRE with a key carrying an Ethernet frame.</summary>
    Nvgre = 1 << 8,

    /// <summary>All nine types (<c>0x1FF</c>).</summary>
    All = Gre2784 | Gre2890 | Gre7676 | GreUdp | Vxlan | VxlanGpe | Geneve | Ipip | Nvgre,
}
