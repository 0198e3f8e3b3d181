namespace VnetHash.VirtioNet;

/// <summary>The <c>flags</c> byte of a virtio-net header (<c>VIRTIO_NET_HDR_F_*</c>).</summary>
[Flags]
public enum VirtioNetHeaderFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The checksum from <c>csum_start</c> is partial and still has to be completed.</summary>
    NeedsCsum = 1,

    /// <summary>The checksum has been verified (receive side; ignored on write).</summary>
    DataValid = 2,

    /// <summary>The header carries receive-segment-coalescing information.</summary>
    RscInfo = 4,

    /// <summary>
    /// The outer UDP checksum of a UDP-tunnel GSO packet is partial too (<c>VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM</c>); only
    /// with a UDP tunnel GSO type.
    /// </summary>
    UdpTunnelCsum = 8,

    /// <summary>Every bit defined above.</summary>
    ValidBits = NeedsCsum | DataValid | RscInfo | UdpTunnelCsum,
}
