namespace VnetHash.Cli.Captures;

/// <summary>The tcpdump.org LINKTYPE values this tool understands (others are read and reported as unsupported).</summary>
public enum LinkType : uint
{
    /// <summary>BSD loopback: a 4-byte address family in the capturing host's byte order.</summary>
    Null = 0,

    /// <summary>Ethernet II / 802.3.</summary>
    Ethernet = 1,

    /// <summary>DLT_RAW as written by most BSDs: raw IPv4 or IPv6.</summary>
    RawBsd12 = 12,

    /// <summary>DLT_RAW as written by OpenBSD: raw IPv4 or IPv6.</summary>
    RawOpenBsd14 = 14,

    /// <summary>Raw IPv4 or IPv6, no link header.</summary>
    Raw = 101,

    /// <summary>OpenBSD loopback: a 4-byte address family in network byte order.</summary>
    Loop = 108,

    /// <summary>Linux cooked capture v1: a 16-byte pseudo-header ending in the protocol (EtherType).</summary>
    LinuxSll = 113,

    /// <summary>Raw IPv4, no link header.</summary>
    IPv4 = 228,

    /// <summary>Raw IPv6, no link header.</summary>
    IPv6 = 229,

    /// <summary>Linux cooked capture v2: a 20-byte pseudo-header starting with the protocol (EtherType).</summary>
    LinuxSll2 = 276,
}
