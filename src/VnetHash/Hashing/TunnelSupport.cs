namespace VnetHash.Hashing;

/// <summary>Which encapsulation types each profile can hash on the inner header, and the checks every entry point shares.</summary>
public static class TunnelSupport
{
    /// <summary>
    /// The types <paramref name="profile"/> supports: all nine under <c>virtio-spec</c>; none under <c>linux-tun</c>,
    /// whose series kernel offers no <c>VIRTIO_NET_F_HASH_TUNNEL</c> and descends into some tunnels by its own rules.
    /// </summary>
    public static TunnelTypes SupportedBy(HashProfile profile) => profile == HashProfile.VirtioSpec ? TunnelTypes.All : TunnelTypes.None;

    /// <summary>Why <paramref name="types"/> cannot be enabled under <paramref name="profile"/>, or <see langword="null"/> when they can.</summary>
    public static string? TypesProblem(HashProfile profile, TunnelTypes types)
    {
        string? unknown = UnknownBitsProblem(types);
        if (unknown is not null)
        {
            return unknown;
        }

        TunnelTypes supported = SupportedBy(profile);
        if ((types & ~supported) != 0)
        {
            return $"{TunnelTypeNames.Describe(types & ~supported)} not supported by the {(profile == HashProfile.LinuxTun ? "linux-tun" : "virtio-spec")} profile " +
                $"(supported: {TunnelTypeNames.Describe(supported)}); the series kernel hashes tunnels by its own rules";
        }

        return null;
    }

    /// <summary>Why <paramref name="types"/> has bits no encapsulation type defines, naming them; <see langword="null"/> when it has none.</summary>
    internal static string? UnknownBitsProblem(TunnelTypes types) => (types & ~TunnelTypes.All) == 0 ? null
        : $"{TunnelTypeNames.Describe(types & ~TunnelTypes.All)} define no encapsulation type (defined: 0x{(uint)TunnelTypes.All:x})";

    /// <summary>Throws <see cref="ArgumentException"/> for types the profile cannot enable or ports that cannot identify the tunnels.</summary>
    internal static void ThrowIfInvalid(HashProfile profile, TunnelTypes types, UdpTunnelPorts ports)
    {
        string? problem = TypesProblem(profile, types);
        if (problem is not null)
        {
            throw new ArgumentException($"Tunnel types: {problem}.", nameof(types));
        }

        problem = ports.Problem();
        if (problem is not null)
        {
            throw new ArgumentException($"UDP tunnel ports: {problem}.", nameof(ports));
        }
    }
}
