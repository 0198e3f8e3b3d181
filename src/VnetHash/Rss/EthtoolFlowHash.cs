using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>The ethtool flow types that have virtio-net hash types (<c>*_FLOW</c> in the kernel's ethtool ABI).</summary>
public enum EthtoolFlowType : uint
{
    /// <summary><c>TCP_V4_FLOW</c> (<c>tcp4</c>).</summary>
    TcpV4 = 0x01,

    /// <summary><c>UDP_V4_FLOW</c> (<c>udp4</c>).</summary>
    UdpV4 = 0x02,

    /// <summary><c>TCP_V6_FLOW</c> (<c>tcp6</c>).</summary>
    TcpV6 = 0x05,

    /// <summary><c>UDP_V6_FLOW</c> (<c>udp6</c>).</summary>
    UdpV6 = 0x06,

    /// <summary><c>IPV4_FLOW</c> (<c>ip4</c>): other IPv4.</summary>
    IPv4 = 0x10,

    /// <summary><c>IPV6_FLOW</c> (<c>ip6</c>): other IPv6.</summary>
    IPv6 = 0x11,
}

/// <summary>The fields a flow type hashes (<c>RXH_*</c>, what <c>ETHTOOL_GRXFH</c> answers).</summary>
[Flags]
public enum EthtoolFlowFields : ulong
{
    /// <summary>No field.</summary>
    None = 0,

    /// <summary><c>RXH_L2DA</c>.</summary>
    L2DestinationAddress = 1 << 1,

    /// <summary><c>RXH_VLAN</c>.</summary>
    Vlan = 1 << 2,

    /// <summary><c>RXH_L3_PROTO</c>.</summary>
    L3Protocol = 1 << 3,

    /// <summary><c>RXH_IP_SRC</c>.</summary>
    IPSource = 1 << 4,

    /// <summary><c>RXH_IP_DST</c>.</summary>
    IPDestination = 1 << 5,

    /// <summary><c>RXH_L4_B_0_1</c>: the source port.</summary>
    L4Bytes01 = 1 << 6,

    /// <summary><c>RXH_L4_B_2_3</c>: the destination port.</summary>
    L4Bytes23 = 1 << 7,

    /// <summary><c>RXH_GTP_TEID</c>.</summary>
    GtpTeid = 1 << 8,

    /// <summary><c>RXH_DISCARD</c>: matching packets are dropped.</summary>
    Discard = 1UL << 31,
}

/// <summary>What ethtool's per-flow-type hash fields amount to in virtio-net hash types.</summary>
public static class EthtoolFlowHash
{
    /// <summary>The flow types to read, address-only flows first, so a TCP/UDP flow hashing addresses alone enables its address type last.</summary>
    public static IReadOnlyList<EthtoolFlowType> FlowTypes { get; } =
        [EthtoolFlowType.IPv4, EthtoolFlowType.IPv6, EthtoolFlowType.TcpV4, EthtoolFlowType.UdpV4, EthtoolFlowType.TcpV6, EthtoolFlowType.UdpV6];

    /// <summary>
    /// Changes <paramref name="types"/> to what a flow type hashing <paramref name="fields"/> means. A TCP/UDP flow
    /// on addresses and both ports enables its 4-tuple type; on the addresses alone it disables it and enables the
    /// address type, so those packets are hashed on addresses. An IP flow on the addresses enables the address type,
    /// on nothing disables it.
    /// </summary>
    /// <exception cref="ConfigurationException">The fields are ones the virtio-net types cannot express (a MAC address, VLAN tag, protocol, one address or one port).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The flow type is none of <see cref="EthtoolFlowType"/>'s values.</exception>
    public static HashTypes Apply(HashTypes types, EthtoolFlowType flowType, EthtoolFlowFields fields)
    {
        const EthtoolFlowFields addresses = EthtoolFlowFields.IPSource | EthtoolFlowFields.IPDestination;
        const EthtoolFlowFields ports = EthtoolFlowFields.L4Bytes01 | EthtoolFlowFields.L4Bytes23;
        (HashTypes address, HashTypes tuple) = flowType switch
        {
            EthtoolFlowType.TcpV4 => (HashTypes.IPv4, HashTypes.TcpV4),
            EthtoolFlowType.UdpV4 => (HashTypes.IPv4, HashTypes.UdpV4),
            EthtoolFlowType.TcpV6 => (HashTypes.IPv6, HashTypes.TcpV6),
            EthtoolFlowType.UdpV6 => (HashTypes.IPv6, HashTypes.UdpV6),
            EthtoolFlowType.IPv4 => (HashTypes.IPv4, HashTypes.None),
            EthtoolFlowType.IPv6 => (HashTypes.IPv6, HashTypes.None),
            _ => throw new ArgumentOutOfRangeException(nameof(flowType), flowType, "not a flow type virtio-net hash types describe"),
        };

        fields &= ~EthtoolFlowFields.Discard;
        if (fields == (addresses | ports) && tuple != HashTypes.None)
        {
            return types | tuple;
        }

        if (fields == addresses)
        {
            return (types & ~tuple) | address;
        }

        if (fields == EthtoolFlowFields.None && tuple == HashTypes.None)
        {
            return types & ~address;
        }

        throw new ConfigurationException(ConfigurationRule.UnsupportedFlowFields, "rx-flow-hash", $"{Name(flowType)} hashes {Describe(fields)}, which no virtio-net hash type does (they hash both addresses, with both ports or without)");
    }

    /// <summary>ethtool's name for a flow type in <c>rx-flow-hash</c> (<c>tcp4</c>, <c>ip6</c>, …).</summary>
    internal static string Name(EthtoolFlowType flowType) => flowType switch
    {
        EthtoolFlowType.TcpV4 => "tcp4",
        EthtoolFlowType.UdpV4 => "udp4",
        EthtoolFlowType.TcpV6 => "tcp6",
        EthtoolFlowType.UdpV6 => "udp6",
        EthtoolFlowType.IPv4 => "ip4",
        EthtoolFlowType.IPv6 => "ip6",
        _ => $"flow type 0x{(uint)flowType:x}",
    };

    /// <summary>The field names as <c>ethtool -n</c> prints them.</summary>
    internal static string Describe(EthtoolFlowFields fields)
    {
        var names = new List<string>();
        foreach ((EthtoolFlowFields bit, string name) in Names)
        {
            if ((fields & bit) != 0)
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? "no fields" : string.Join(", ", names);
    }

    /// <summary>The field lines of <c>ethtool -n IF rx-flow-hash FLOW</c>, in its order.</summary>
    internal static IReadOnlyList<(EthtoolFlowFields Bit, string Name)> Names { get; } =
    [
        (EthtoolFlowFields.L2DestinationAddress, "L2DA"),
        (EthtoolFlowFields.Vlan, "VLAN tag"),
        (EthtoolFlowFields.L3Protocol, "L3 proto"),
        (EthtoolFlowFields.IPSource, "IP SA"),
        (EthtoolFlowFields.IPDestination, "IP DA"),
        (EthtoolFlowFields.L4Bytes01, "L4 bytes 0 & 1 [TCP/UDP src port]"),
        (EthtoolFlowFields.L4Bytes23, "L4 bytes 2 & 3 [TCP/UDP dst port]"),
        (EthtoolFlowFields.GtpTeid, "GTP TEID"),
    ];
}
