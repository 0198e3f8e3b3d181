namespace VnetHash.VirtioNet;

/// <summary>
/// The virtio-net feature bits from 64 on, as bit (n - 64): the second 64-bit half of a feature set, which
/// <see cref="VirtioNetFeatures"/> cannot hold.
/// </summary>
[Flags]
public enum VirtioNetHighFeatures : ulong
{
    /// <summary>No feature.</summary>
    None = 0,

    /// <summary><c>VIRTIO_NET_F_GUEST_UDP_TUNNEL_GSO</c> (65): the driver receives GSO packets carried in a UDP tunnel.</summary>
    GuestUdpTunnelGso = 1UL << (65 - 64),

    /// <summary><c>VIRTIO_NET_F_GUEST_UDP_TUNNEL_GSO_CSUM</c> (66): ... with a partial outer UDP checksum.</summary>
    GuestUdpTunnelGsoCsum = 1UL << (66 - 64),

    /// <summary><c>VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO</c> (67): the device takes GSO packets carried in a UDP tunnel.</summary>
    HostUdpTunnelGso = 1UL << (67 - 64),

    /// <summary><c>VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO_CSUM</c> (68): ... with a partial outer UDP checksum.</summary>
    HostUdpTunnelGsoCsum = 1UL << (68 - 64),
}
