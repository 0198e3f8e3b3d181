namespace VnetHash.Hashing;

/// <summary>Which encapsulation types each profile can hash on the inner header, and the checks every entry point shares.</summary>
public static class TunnelSupport
{
    /// <summary>The encapsulation types recognised by a UDP destination port.</summary>
    internal const TunnelTypes UdpTunnels = TunnelTypes.GreUdp | TunnelTypes.Vxlan | TunnelTypes.VxlanGpe | TunnelTypes.Geneve;

    /// <summary>
    /// The types <paramref name="profile"/> supports: all nine under <c>virtio-spec</c>; none under <c>linux-tun</c>,
    /// whose series kernel offers no <c>VIRTIO_NET_F_HASH_TUNNEL</c> and descends into some tunnels by its own rules.
    /// </summary>
    public static TunnelTypes SupportedBy(HashProfile profile) => profile == HashProfile.VirtioSpec ? TunnelTypes.All : TunnelTypes.None;

    /// <summary>Why <paramref name="types"/> has bits no encapsulation type defines, naming them; <see langword="null"/> when it has none.</summary>
    internal static string? UnknownBitsProblem(TunnelTypes types) => (types & ~TunnelTypes.All) == 0 ? null
        : $"{TunnelTypeNames.Describe(types & ~TunnelTypes.All)} define no encapsulation type (defined: 0x{(uint)TunnelTypes.All:x})";

    /// <summary>
    /// Throws <see cref="ConfigurationException"/> for types <paramref name="profile"/> cannot enable
    /// (<c>enabled_tunnel_types</c>) or, when any type is enabled, ports that cannot identify the tunnels
    /// (<c>udp_tunnel_ports</c>); the message names the bits or the ports.
    /// </summary>
    internal static void ThrowIfInvalid(HashProfile profile, TunnelTypes types, UdpTunnelPorts ports)
    {
        ThrowIfUnsupported(profile, types);
        if (types != TunnelTypes.None)
        {
            ThrowIfUnusable(ports);
        }
    }

    /// <summary>Throws <see cref="ConfigurationException"/> (<c>enabled_tunnel_types</c>) for bits no type defines or the profile does not support.</summary>
    internal static void ThrowIfUnsupported(HashProfile profile, TunnelTypes types)
    {
        string? unknown = UnknownBitsProblem(types);
        if (unknown is not null)
        {
            throw new ConfigurationException(ConfigurationRule.UnknownTunnelTypes, "enabled_tunnel_types", unknown);
        }

        TunnelTypes unsupported = types & ~SupportedBy(profile);
        if (unsupported != TunnelTypes.None)
        {
            throw new ConfigurationException(
                ConfigurationRule.UnsupportedTunnelTypes,
                "enabled_tunnel_types",
                $"{TunnelTypeNames.Describe(unsupported)} not supported by the linux-tun profile (supported: none); the series kernel hashes tunnels by its own rules");
        }
    }

    /// <summary>Throws <see cref="ConfigurationException"/> (<c>udp_tunnel_ports</c>) for ports that cannot identify the tunnels.</summary>
    internal static void ThrowIfUnusable(UdpTunnelPorts ports)
    {
        string? problem = ports.Problem();
        if (problem is not null)
        {
            throw new ConfigurationException(ConfigurationRule.UnusableTunnelPorts, "udp_tunnel_ports", problem);
        }
    }
}
