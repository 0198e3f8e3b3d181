namespace VnetHash.Tap.Devices;

/// <summary>
/// The <c>struct ifreq</c> side of a tun device: the socket ioctls that read and set a link, and the flags carried
/// in <c>ifr_flags</c> (tun's own <c>IFF_*</c> for <c>TUNSETIFF</c>/<c>TUNSETQUEUE</c>, the link's <c>IFF_UP</c>).
/// The tun ioctl numbers themselves have one home, <see cref="VnetHash.Abi.TunIoctl"/>.
/// </summary>
internal static class InterfaceRequests
{
    internal const nuint SIOCGIFFLAGS = 0x8913;
    internal const nuint SIOCSIFFLAGS = 0x8914;
    internal const nuint SIOCGIFMTU = 0x8921;
    internal const nuint SIOCGIFHWADDR = 0x8927;
    internal const nuint SIOCGIFINDEX = 0x8933;

    internal const short IFF_UP = 0x1;

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_MULTI_QUEUE = 0x0100;
    internal const short IFF_ATTACH_QUEUE = 0x0200;
    internal const short IFF_DETACH_QUEUE = 0x0400;
    internal const short IFF_NO_PI = 0x1000;
    internal const short IFF_VNET_HDR = 0x4000;
    internal const short IFF_TUN_EXCL = unchecked((short)0x8000);
}
