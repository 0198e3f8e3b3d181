namespace VnetHash.Tap.Devices;

/// <summary>
/// ioctl request numbers and flags of mainline tun/tap and the socket ioctls the device needs
/// (generic <c>_IOC</c> encoding, x86-64 and arm64). The series' hashing requests live with the probe.
/// </summary>
internal static class TunRequests
{
    internal const nuint TUNSETIFF = 0x400454ca;
    internal const nuint TUNSETPERSIST = 0x400454cb;
    internal const nuint TUNGETFEATURES = 0x800454cf;
    internal const nuint TUNSETOFFLOAD = 0x400454d0;
    internal const nuint TUNGETIFF = 0x800454d2;
    internal const nuint TUNGETVNETHDRSZ = 0x800454d7;
    internal const nuint TUNSETVNETHDRSZ = 0x400454d8;
    internal const nuint TUNSETQUEUE = 0x400454d9;
    internal const nuint TUNSETVNETLE = 0x400454dc;
    internal const nuint TUNGETVNETLE = 0x800454dd;
    internal const nuint TUNSETSTEERINGEBPF = 0x800454e0;
    internal const nuint TUNSETFILTEREBPF = 0x800454e1;

    internal const nuint SIOCGIFFLAGS = 0x8913;
    internal const nuint SIOCSIFFLAGS = 0x8914;
    internal const nuint SIOCGIFMTU = 0x8921;
    internal const nuint SIOCGIFHWADDR = 0x8927;
    internal const nuint SIOCGIFINDEX = 0x8933;

    internal const short IFF_UP = 0x1;

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_NAPI = 0x0010;
    internal const short IFF_MULTI_QUEUE = 0x0100;
    internal const short IFF_ATTACH_QUEUE = 0x0200;
    internal const short IFF_DETACH_QUEUE = 0x0400;
    internal const short IFF_NO_PI = 0x1000;
    internal const short IFF_VNET_HDR = 0x4000;
    internal const short IFF_TUN_EXCL = unchecked((short)0x8000);
}
