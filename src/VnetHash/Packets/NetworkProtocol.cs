namespace VnetHash.Packets;

/// <summary>The network-layer protocol the hash rules see.</summary>
public enum NetworkProtocol : byte
{
    /// <summary>Not IP, or an IP header that cannot be read: no hash.</summary>
    None = 0,
    /// <summary>IPv4.</summary>
    IPv4 = 4,
    /// <summary>IPv6.</summary>
    IPv6 = 6,
}
