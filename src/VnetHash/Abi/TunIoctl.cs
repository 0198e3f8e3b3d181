namespace VnetHash.Abi;

/// <summary>
/// The TUN/TAP ioctl numbers (type <c>'T'</c>) for x86 and arm64: the ones in mainline and those of both
/// generations of the series "tun: Introduce virtio-net hashing feature".
/// </summary>
/// <remarks>
/// The series was never merged: numbers 228 to 231 are provisional and mean something else to each series
/// generation (<c>V5</c>: v3 to v11; <c>V12</c>: v12). A kernel without the feature answers <c>EINVAL</c>.
/// The v12 set calls use <c>_IOR</c> although the kernel reads the argument, as <c>TUNSETSTEERINGEBPF</c> does;
/// the kernel ignores the direction bits.
/// </remarks>
public static class TunIoctl
{
    /// <summary>The ioctl type byte of TUN/TAP.</summary>
    public const char Type = 'T';

    private const int IntSize = sizeof(int);
    private const int TunVnetHashSize = 8;
    private const int TunVnetRssSize = 8;

    /// <summary><c>TUNSETIFF</c>, <c>_IOW('T', 202, int)</c>: attach to or create a device (argument: <c>struct ifreq</c>).</summary>
    public static readonly uint SetIff = IoctlNumber.Write(Type, 202, IntSize);

    /// <summary><c>TUNSETPERSIST</c>, <c>_IOW('T', 203, int)</c>: keep the device after its last fd closes (argument by value).</summary>
    public static readonly uint SetPersist = IoctlNumber.Write(Type, 203, IntSize);

    /// <summary><c>TUNGETFEATURES</c>, <c>_IOR('T', 207, unsigned int)</c>: the <c>IFF_*</c> flags the driver supports.</summary>
    public static readonly uint GetFeatures = IoctlNumber.Read(Type, 207, IntSize);

    /// <summary><c>TUNSETOFFLOAD</c>, <c>_IOW('T', 208, unsigned int)</c>: the <c>TUN_F_*</c> offloads the reader accepts.</summary>
    public static readonly uint SetOffload = IoctlNumber.Write(Type, 208, IntSize);

    /// <summary><c>TUNGETIFF</c>, <c>_IOR('T', 210, unsigned int)</c>: name and flags of the attached device.</summary>
    public static readonly uint GetIff = IoctlNumber.Read(Type, 210, IntSize);

    /// <summary><c>TUNGETVNETHDRSZ</c>, <c>_IOR('T', 215, int)</c>: the vnet header size.</summary>
    public static readonly uint GetVnetHdrSz = IoctlNumber.Read(Type, 215, IntSize);

    /// <summary><c>TUNSETVNETHDRSZ</c>, <c>_IOW('T', 216, int)</c>: set the vnet header size (at least 10).</summary>
    public static readonly uint SetVnetHdrSz = IoctlNumber.Write(Type, 216, IntSize);

    /// <summary><c>TUNSETQUEUE</c>, <c>_IOW('T', 217, int)</c>: attach or detach a queue (argument: <c>struct ifreq</c>).</summary>
    public static readonly uint SetQueue = IoctlNumber.Write(Type, 217, IntSize);

    /// <summary><c>TUNSETVNETLE</c>, <c>_IOW('T', 220, int)</c>: little-endian vnet header fields.</summary>
    public static readonly uint SetVnetLe = IoctlNumber.Write(Type, 220, IntSize);

    /// <summary><c>TUNGETVNETLE</c>, <c>_IOR('T', 221, int)</c>.</summary>
    public static readonly uint GetVnetLe = IoctlNumber.Read(Type, 221, IntSize);

    /// <summary><c>TUNSETVNETBE</c>, <c>_IOW('T', 222, int)</c>: big-endian legacy vnet header fields.</summary>
    public static readonly uint SetVnetBe = IoctlNumber.Write(Type, 222, IntSize);

    /// <summary><c>TUNGETVNETBE</c>, <c>_IOR('T', 223, int)</c>.</summary>
    public static readonly uint GetVnetBe = IoctlNumber.Read(Type, 223, IntSize);

    /// <summary><c>TUNSETSTEERINGEBPF</c>, <c>_IOR('T', 224, int)</c>: attach (fd) or detach (-1) a steering program.</summary>
    public static readonly uint SetSteeringEbpf = IoctlNumber.Read(Type, 224, IntSize);

    /// <summary><c>TUNSETFILTEREBPF</c>, <c>_IOR('T', 225, int)</c>: attach or detach a filter program.</summary>
    public static readonly uint SetFilterEbpf = IoctlNumber.Read(Type, 225, IntSize);

    /// <summary>v5 <c>TUNGETVNETHASHCAP</c>, <c>_IOR('T', 228, struct tun_vnet_hash)</c>: the supported flags and types.</summary>
    public static readonly uint GetVnetHashCapV5 = IoctlNumber.Read(Type, 228, TunVnetHashSize);

    /// <summary>v5 <c>TUNSETVNETHASH</c>, <c>_IOW('T', 229, struct tun_vnet_hash)</c>: set reporting and RSS (<see cref="TunVnetHashV5"/>).</summary>
    public static readonly uint SetVnetHashV5 = IoctlNumber.Write(Type, 229, TunVnetHashSize);

    /// <summary>v12 <c>TUNGETVNETHASHTYPES</c>, <c>_IOR('T', 228, __u32)</c>: the supported hash types.</summary>
    public static readonly uint GetVnetHashTypesV12 = IoctlNumber.Read(Type, 228, sizeof(uint));

    /// <summary>v12 <c>TUNSETVNETREPORTINGAUTOMQ</c>, <c>_IOR('T', 229, __u32)</c>: report automq hashes for these types; 0 clears the configuration.</summary>
    public static readonly uint SetVnetReportingAutomqV12 = IoctlNumber.Read(Type, 229, sizeof(uint));

    /// <summary>v12 <c>TUNSETVNETREPORTINGRSS</c>, <c>_IOR('T', 230, struct tun_vnet_rss)</c>: RSS with hash reporting (<see cref="TunVnetRssV12"/>).</summary>
    public static readonly uint SetVnetReportingRssV12 = IoctlNumber.Read(Type, 230, TunVnetRssSize);

    /// <summary>v12 <c>TUNSETVNETRSS</c>, <c>_IOR('T', 231, struct tun_vnet_rss)</c>: RSS without hash reporting (<see cref="TunVnetRssV12"/>).</summary>
    public static readonly uint SetVnetRssV12 = IoctlNumber.Read(Type, 231, TunVnetRssSize);
}
