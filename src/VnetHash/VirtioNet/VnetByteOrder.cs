namespace VnetHash.VirtioNet;

/// <summary>
/// The byte order of the 16-bit (<c>virtio16</c>) fields of a vnet header, as a TUN/TAP device is set up
/// (<c>TUNSETVNETLE</c> / <c>TUNSETVNETBE</c>). The hash fields ignore it and are always little-endian.
/// </summary>
public enum VnetByteOrder
{
    /// <summary>Little-endian: virtio 1.0 (<c>VIRTIO_F_VERSION_1</c>) or a device with <c>TUNSETVNETLE</c>.</summary>
    LittleEndian = 0,

    /// <summary>Big-endian: a legacy device with <c>TUNSETVNETBE</c> on a kernel built with cross-endian support.</summary>
    BigEndian = 1,

    /// <summary>Host order: a legacy device with neither flag (little-endian on x86 and arm64).</summary>
    Native = 2,
}
