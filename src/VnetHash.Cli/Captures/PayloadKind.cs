namespace VnetHash.Cli.Captures;

/// <summary>What a captured packet carries once its link-layer pseudo-header is stripped.</summary>
public enum PayloadKind
{
    /// <summary>An Ethernet frame: the dissector takes it from the MAC header.</summary>
    Ethernet,

    /// <summary>An IPv4 or IPv6 packet without a link header.</summary>
    IP,

    /// <summary>Something other than IP (the cooked or loopback header names another protocol).</summary>
    NonIP,

    /// <summary>A link type this tool does not decode.</summary>
    UnsupportedLinkType,
}
