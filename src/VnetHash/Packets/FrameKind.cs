namespace VnetHash.Packets;

/// <summary>Where a frame starts.</summary>
public enum FrameKind
{
    /// <summary>At an Ethernet header, as a TAP device delivers it.</summary>
    Ethernet = 0,

    /// <summary>At an IPv4 or IPv6 header, chosen by the version nibble, as a TUN device delivers it.</summary>
    IP = 1,
}
