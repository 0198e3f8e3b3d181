namespace VnetHash.VirtioNet;

/// <summary>The <c>gso_type</c> byte of a virtio-net header (<c>VIRTIO_NET_HDR_GSO_*</c>).</summary>
/// <remarks>
/// The low five bits hold one type; <see cref="UdpTunnelIPv4"/> or <see cref="UdpTunnelIPv6"/> marks a TCP or UDP_L4
/// type carried in a UDP tunnel; <see cref="Ecn"/> is a flag combined with a TCP type.
/// </remarks>
[Flags]
public enum VirtioNetGsoType : byte
{
    /// <summary>Not a GSO packet.</summary>
    None = 0,

    /// <summary>TCP over IPv4 segmentation.</summary>
    TcpV4 = 1,

    /// <summary>UDP fragmentation offload (UFO).</summary>
    Udp = 3,

    /// <summary>TCP over IPv6 segmentation.</summary>
    TcpV6 = 4,

    /// <summary>UDP segmentation offload (USO).</summary>
    UdpL4 = 5,

    /// <summary>
    /// The GSO packet is carried in a UDP tunnel over IPv4 (<c>VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4</c>); Linux reads the bit
    /// as the outer network protocol (docs/design.md).
    /// </summary>
    UdpTunnelIPv4 = 0x20,

    /// <summary>The GSO packet is carried in a UDP tunnel over IPv6 (<c>VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6</c>).</summary>
    UdpTunnelIPv6 = 0x40,

    /// <summary>The TCP segments carry ECN (congestion window reduced) handling.</summary>
    Ecn = 0x80,
}
