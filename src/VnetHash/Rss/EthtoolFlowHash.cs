using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>
/// ethtool's per-flow-type hash fields (<c>ETHTOOL_GRXFH</c>, <c>ethtool -n IF rx-flow-hash FLOW</c>) and the
/// virtio-net hash types they amount to.
/// </summary>
public static class EthtoolFlowHash
{
    /// <summary><c>TCP_V4_FLOW</c>.</summary>
    public const uint TcpV4Flow = 0x01;
    /// <summary><c>UDP_V4_FLOW</c>.</summary>
    public const uint UdpV4Flow = 0x02;
    /// <summary><c>TCP_V6_FLOW</c>.</summary>
    public const uint TcpV6Flow = 0x05;
    /// <summary><c>UDP_V6_FLOW</c>.</summary>
    public const uint UdpV6Flow = 0x06;
    /// <summary><c>IPV4_FLOW</c>: other IPv4.</summary>
    public const uint IPv4Flow = 0x10;
    /// <summary><c>IPV6_FLOW</c>: other IPv6.</summary>
    public const uint IPv6Flow = 0x11;

    /// <summary><c>RXH_L2DA</c>.</summary>
    public const ulong L2DestinationAddress = 1 << 1;
    /// <summary><c>RXH_VLAN</c>.</summary>
    public const ulong Vlan = 1 << 2;
    /// <summary><c>RXH_L3_PROTO</c>.</summary>
    public const ulong L3Protocol = 1 << 3;
    /// <summary><c>RXH_IP_SRC</c>.</summary>
    public const ulong IPSource = 1 << 4;
    /// <summary><c>RXH_IP_DST</c>.</summary>
    public const ulong IPDestination = 1 << 5;
    /// <summary><c>RXH_L4_B_0_1</c>: the source port.</summary>
    public const ulong L4Bytes01 = 1 << 6;
    /// <summary><c>RXH_L4_B_2_3</c>: the destination port.</summary>
    public const ulong L4Bytes23 = 1 << 7;
    /// <summary><c>RXH_GTP_TEID</c>.</summary>
    public const ulong GtpTeid = 1 << 8;
    /// <summary><c>RXH_DISCARD</c>: matching packets are dropped.</summary>
    public const ulong Discard = 1UL << 31;

    /// <summary>The flow types that map onto virtio-net hash types, address-only flows first.</summary>
    public static IReadOnlyList<uint> FlowTypes { get; } = [IPv4Flow, IPv6Flow, TcpV4Flow, UdpV4Flow, TcpV6Flow, UdpV6Flow];

    /// <summary>ethtool's name for a flow type in <c>rx-flow-hash</c> (<c>tcp4</c>, <c>ip6</c>, …).</summary>
    public static string Name(uint flowType) => flowType switch
    {
        TcpV4Flow => "tcp4",
        UdpV4Flow => "udp4",
        TcpV6Flow => "tcp6",
        UdpV6Flow => "udp6",
        IPv4Flow => "ip4",
        IPv6Flow => "ip6",
        _ => $"flow type 0x{flowType:x}",
    };

    /// <summary>
    /// Changes <paramref name="types"/> to what a flow type hashing <paramref name="fields"/> means. A TCP/UDP flow
    /// on addresses and both ports enables its 4-tuple type; on the addresses alone it disables it and enables the
    /// address type, so those packets are hashed on addresses. An IP flow on the addresses enables the address type,
    /// on nothing disables it.
    /// </summary>
    /// <exception cref="RssConfigurationException">The fields are ones the virtio-net types cannot express (a MAC address, VLAN tag, protocol, one address or one port).</exception>
    public static HashTypes Apply(HashTypes types, uint flowType, ulong fields)
    {
        const ulong addresses = IPSource | IPDestination;
        const ulong ports = L4Bytes01 | L4Bytes23;
        (HashTypes address, HashTypes tuple) = flowType switch
        {
            TcpV4Flow => (HashTypes.IPv4, HashTypes.TcpV4),
            UdpV4Flow => (HashTypes.IPv4, HashTypes.UdpV4),
            TcpV6Flow => (HashTypes.IPv6, HashTypes.TcpV6),
            UdpV6Flow => (HashTypes.IPv6, HashTypes.UdpV6),
            IPv4Flow => (HashTypes.IPv4, HashTypes.None),
            IPv6Flow => (HashTypes.IPv6, HashTypes.None),
            _ => throw new ArgumentOutOfRangeException(nameof(flowType), flowType, "not a flow type virtio-net hash types describe"),
        };

        fields &= ~Discard;
        if (fields == (addresses | ports) && tuple != HashTypes.None)
        {
            return types | tuple;
        }

        if (fields == addresses)
        {
            return (types & ~tuple) | address;
        }

        if (fields == 0 && tuple == HashTypes.None)
        {
            return types & ~address;
        }

        throw new RssConfigurationException("hash_types", $"{Name(flowType)} hashes {Describe(fields)}, which no virtio-net hash type does (they hash both addresses, with both ports or without)");
    }

    /// <summary>The field names as <c>ethtool -n</c> prints them.</summary>
    public static string Describe(ulong fields)
    {
        var names = new List<string>();
        foreach ((ulong bit, string name) in Names)
        {
            if ((fields & bit) != 0)
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? "no fields" : string.Join(", ", names);
    }

    /// <summary>The field lines of <c>ethtool -n IF rx-flow-hash FLOW</c>, in its order.</summary>
    internal static IReadOnlyList<(ulong Bit, string Name)> Names { get; } =
    [
        (L2DestinationAddress, "L2DA"),
        (Vlan, "VLAN tag"),
        (L3Protocol, "L3 proto"),
        (IPSource, "IP SA"),
        (IPDestination, "IP DA"),
        (L4Bytes01, "L4 bytes 0 & 1 [TCP/UDP src port]"),
        (L4Bytes23, "L4 bytes 2 & 3 [TCP/UDP dst port]"),
        (GtpTeid, "GTP TEID"),
    ];
}
