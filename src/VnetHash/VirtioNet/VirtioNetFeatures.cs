namespace VnetHash.VirtioNet;

/// <summary>The virtio feature bits that decide the virtio-net header layout and the RSS and hash setup.</summary>
[Flags]
public enum VirtioNetFeatures : ulong
{
    /// <summary>No feature.</summary>
    None = 0,

    /// <summary><c>VIRTIO_NET_F_MTU</c> (3): the device configuration has <c>mtu</c>.</summary>
    Mtu = 1UL << 3,

    /// <summary><c>VIRTIO_NET_F_MAC</c> (5): the device configuration's <c>mac</c> is valid.</summary>
    Mac = 1UL << 5,

    /// <summary><c>VIRTIO_NET_F_MRG_RXBUF</c> (15): receive buffers can be merged; the header has <c>num_buffers</c>.</summary>
    MrgRxBuf = 1UL << 15,

    /// <summary><c>VIRTIO_NET_F_STATUS</c> (16): the device configuration has <c>status</c>.</summary>
    Status = 1UL << 16,

    /// <summary><c>VIRTIO_NET_F_CTRL_VQ</c> (17): a control virtqueue exists.</summary>
    CtrlVq = 1UL << 17,

    /// <summary><c>VIRTIO_NET_F_MQ</c> (22): multiqueue with automatic steering.</summary>
    Mq = 1UL << 22,

    /// <summary><c>VIRTIO_F_VERSION_1</c> (32): virtio 1.0, little-endian fields, <c>num_buffers</c> always present.</summary>
    Version1 = 1UL << 32,

    /// <summary><c>VIRTIO_NET_F_HASH_TUNNEL</c> (51): hash over the inner headers of selected encapsulations.</summary>
    HashTunnel = 1UL << 51,

    /// <summary><c>VIRTIO_NET_F_HASH_REPORT</c> (57): the device reports the hash in each received header.</summary>
    HashReport = 1UL << 57,

    /// <summary><c>VIRTIO_NET_F_RSS</c> (60): receive-side scaling with a Toeplitz hash.</summary>
    Rss = 1UL << 60,

    /// <summary><c>VIRTIO_NET_F_SPEED_DUPLEX</c> (63): the device configuration has <c>speed</c> and <c>duplex</c>.</summary>
    SpeedDuplex = 1UL << 63,
}
