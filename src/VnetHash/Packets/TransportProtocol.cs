namespace VnetHash.Packets;

/// <summary>The transport the hash rules may include ports for.</summary>
public enum TransportProtocol : byte
{
    /// <summary>No TCP or UDP header the rules accept: addresses only.</summary>
    None = 0,
    /// <summary>TCP.</summary>
    Tcp = 6,
    /// <summary>UDP.</summary>
    Udp = 17,
}
