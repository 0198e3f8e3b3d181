namespace VnetHash.VirtioNet;

/// <summary>
/// Why the kernel would reject a vnet header written to a TUN/TAP device (<c>EINVAL</c>), one value per
/// rule of the write path (<c>tun_vnet_hdr_get</c> and <c>virtio_net_hdr_to_skb</c>), or why a feature set
/// gives no header layout.
/// </summary>
public enum VirtioNetHeaderError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The configured header size is below the 10-byte legacy header (<c>TUNSETVNETHDRSZ</c> rule).</summary>
    HeaderSizeTooSmall,

    /// <summary>The buffer is shorter than the configured header size (write path step 2).</summary>
    ShortBuffer,

    /// <summary><c>hdr_len</c>, after the checksum adjustment, exceeds the bytes after the 10-byte header (step 6).</summary>
    HdrLenBeyondData,

    /// <summary>A TAP frame is shorter than the 14-byte Ethernet header (step 9).</summary>
    FrameShorterThanEthernetHeader,

    /// <summary>A TAP header gives a <c>hdr_len</c> from 1 to 13: inside the Ethernet header (step 9).</summary>
    HdrLenInsideEthernetHeader,

    /// <summary><c>gso_type</c> (without the ECN and UDP tunnel bits) is none of TCPv4, UDP, TCPv6, UDP_L4 (step 10).</summary>
    UnknownGsoType,

    /// <summary>A GSO packet has <c>gso_size</c> 0 (step 10).</summary>
    GsoSizeZero,

    /// <summary>A GSO packet has <c>gso_size</c> 0xFFFF, the kernel's internal <c>GSO_BY_FRAGS</c> (step 10).</summary>
    GsoSizeByFrags,

    /// <summary><c>csum_start</c> plus the checksum field (or the transport header) lies past the packet (step 10).</summary>
    ChecksumOutsidePacket,

    /// <summary>
    /// With <c>NEEDS_CSUM</c>, <c>csum_start</c> (the transport offset) is below 20, or below 40 for TCPv6 GSO (step 10).
    /// </summary>
    TransportOffsetTooSmall,

    /// <summary>A GSO packet without <c>NEEDS_CSUM</c> is not the network or transport protocol its GSO type names (step 10).</summary>
    GsoProtocolMismatch,

    /// <summary>A GSO packet without <c>NEEDS_CSUM</c> ends before its network or transport header does (step 10).</summary>
    GsoHeadersTruncated,

    /// <summary>UDP segmentation (UDP_L4) without <c>NEEDS_CSUM</c> (step 10).</summary>
    UsoRequiresChecksum,

    /// <summary>UDP segmentation with a <c>csum_offset</c> other than 6, the UDP checksum field (step 10).</summary>
    UsoChecksumOffset,

    /// <summary>UDP segmentation whose payload needs more than 64 segments of <c>gso_size</c> (step 10).</summary>
    UsoTooManySegments,

    /// <summary>UDP segmentation combined with the ECN bit, which only TCP segmentation accepts (step 10).</summary>
    UsoWithEcn,

    /// <summary>TCP segmentation with a partial checksum whose <c>csum_offset</c> is not 16, the TCP checksum field (step 10).</summary>
    TcpGsoChecksumOffset,

    /// <summary>
    /// A UDP-tunnel GSO type with a vnet header shorter than the 24-byte <c>virtio_net_hdr_v1_hash_tunnel</c>: tun
    /// (Linux 6.17 on) takes the tunnel offsets as negotiated only from that header size.
    /// </summary>
    UdpTunnelNotNegotiated,

    /// <summary>Both <c>UDP_TUNNEL_IPV4</c> and <c>UDP_TUNNEL_IPV6</c> are set (spec: the device MUST NOT accept the packet).</summary>
    UdpTunnelBothVersions,

    /// <summary>A UDP tunnel bit without a GSO type under it (spec: the device MUST NOT accept the packet).</summary>
    UdpTunnelWithoutGso,

    /// <summary>A UDP tunnel bit with <c>GSO_UDP</c> (UFO), which the spec forbids in favour of <c>UDP_L4</c>.</summary>
    UdpTunnelWithUfo,

    /// <summary>A UDP-tunnel GSO packet without <c>NEEDS_CSUM</c> (spec: the device MUST NOT accept the packet).</summary>
    UdpTunnelRequiresChecksum,

    /// <summary>A UDP-tunnel GSO packet with <c>DATA_VALID</c> (spec: the device MUST NOT accept it; tun does not check).</summary>
    UdpTunnelWithDataValid,

    /// <summary><c>UDP_TUNNEL_CSUM</c> without a UDP tunnel bit (spec: the device MUST NOT accept it; tun does not check).</summary>
    UdpTunnelChecksumWithoutTunnel,

    /// <summary><c>outer_th_offset</c> is below the Ethernet header plus the minimal outer IPv4 (20) or IPv6 (40) header.</summary>
    OuterTransportOffsetTooSmall,

    /// <summary><c>inner_nh_offset</c> is below <c>outer_th_offset</c> plus the 8-byte outer UDP header.</summary>
    InnerNetworkOffsetTooSmall,

    /// <summary><c>csum_start</c> (the inner transport header) is below <c>inner_nh_offset</c> plus the minimal inner IP header.</summary>
    InnerTransportOffsetTooSmall,

    /// <summary>
    /// <c>VIRTIO_NET_F_HASH_REPORT</c> without <c>VIRTIO_F_VERSION_1</c>: vhost-net refuses the feature set
    /// (<c>EINVAL</c>), so there is no header length.
    /// </summary>
    HashReportRequiresVersion1,
}
