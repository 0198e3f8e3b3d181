namespace VnetHash.Tap.Devices;

/// <summary>The offloads a reader accepts (<c>TUNSETOFFLOAD</c>, the <c>TUN_F_*</c> bits): what the kernel may hand over unsegmented or without a checksum.</summary>
[Flags]
public enum TapOffloads : uint
{
    /// <summary>No offload: every frame arrives segmented with complete checksums.</summary>
    None = 0,
    /// <summary><c>TUN_F_CSUM</c>: frames may carry a partial checksum (NEEDS_CSUM in the vnet header).</summary>
    Checksum = 0x01,
    /// <summary><c>TUN_F_TSO4</c>: TCPv4 segmentation offload.</summary>
    Tso4 = 0x02,
    /// <summary><c>TUN_F_TSO6</c>: TCPv6 segmentation offload.</summary>
    Tso6 = 0x04,
    /// <summary><c>TUN_F_TSO_ECN</c>: TSO with the ECN bit.</summary>
    TsoEcn = 0x08,
    /// <summary><c>TUN_F_UFO</c>: UDP fragmentation offload.</summary>
    Ufo = 0x10,
    /// <summary><c>TUN_F_USO4</c>: UDPv4 segmentation offload.</summary>
    Uso4 = 0x20,
    /// <summary><c>TUN_F_USO6</c>: UDPv6 segmentation offload.</summary>
    Uso6 = 0x40,

    /// <summary>
    /// <c>TUN_F_UDP_TUNNEL_GSO</c> (Linux 6.17 on): TCP/UDP segmentation inside a UDP tunnel, handed over with the
    /// 24-byte <c>virtio_net_hdr_v1_hash_tunnel</c>; the kernel takes it only with TSO or USO.
    /// </summary>
    UdpTunnelGso = 0x80,
    /// <summary><c>TUN_F_UDP_TUNNEL_GSO_CSUM</c>: the same with a partial outer UDP checksum.</summary>
    UdpTunnelGsoCsum = 0x100,

    /// <summary>The offloads that let the kernel hand over frames larger than the MTU (up to 64 KiB).</summary>
    Segmentation = Tso4 | Tso6 | TsoEcn | Ufo | Uso4 | Uso6 | UdpTunnelGso | UdpTunnelGsoCsum,
}
