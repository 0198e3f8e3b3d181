namespace VnetHash.Cli.Analysis;

/// <summary>The facts about single packets that the analysis warns about; one per packet at most.</summary>
public enum PacketNote
{
    /// <summary>Nothing to note: a packet hashed on its best type.</summary>
    None,

    /// <summary>Not IP (ARP, other EtherTypes, a cooked or loopback header naming another protocol).</summary>
    NonIP,

    /// <summary>On a link type this tool does not decode.</summary>
    UnsupportedLink,

    /// <summary>An IP fragment: hashed on addresses only, so its flow's other packets may land elsewhere.</summary>
    Fragment,

    /// <summary>UDP hashed on addresses only because the UDP hash types are off.</summary>
    UdpAddressOnly,

    /// <summary>TCP hashed on addresses only because the TCP hash types are off.</summary>
    TcpAddressOnly,

    /// <summary>IP that got no hash because none of its types is enabled.</summary>
    IPWithoutHash,
}
