namespace VnetHash.Tap.Devices;

/// <summary>Whether the device carries Ethernet frames or bare IP packets.</summary>
public enum TapKind
{
    /// <summary>A TAP device (<c>IFF_TAP</c>): every frame starts with a 14-byte Ethernet header.</summary>
    Tap,
    /// <summary>A TUN device (<c>IFF_TUN</c>): every packet starts with its IPv4 or IPv6 header.</summary>
    Tun,
}
