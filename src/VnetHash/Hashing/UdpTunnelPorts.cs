namespace VnetHash.Hashing;

/// <summary>
/// The UDP destination ports that identify the UDP tunnels for inner-header hashing. The virtio specification names
/// no port; the defaults are IANA's assignments. Linux's <c>vxlan</c> driver still defaults to the pre-IANA port
/// 8472 unless configured with <c>dstport 4789</c>, so the VXLAN port is the one most often changed.
/// </summary>
/// <param name="Vxlan">VXLAN (RFC 7348), IANA 4789.</param>
/// <param name="VxlanGpe">VXLAN-GPE, IANA 4790.</param>
/// <param name="Geneve">GENEVE (RFC 8926), IANA 6081.</param>
/// <param name="GreUdp">GRE-in-UDP (RFC 8086), IANA 4754.</param>
public sealed record UdpTunnelPorts(
    ushort Vxlan = UdpTunnelPorts.IanaVxlan,
    ushort VxlanGpe = UdpTunnelPorts.IanaVxlanGpe,
    ushort Geneve = UdpTunnelPorts.IanaGeneve,
    ushort GreUdp = UdpTunnelPorts.IanaGreUdp)
{
    /// <summary>IANA's port for VXLAN.</summary>
    public const ushort IanaVxlan = 4789;

    /// <summary>IANA's port for VXLAN-GPE.</summary>
    public const ushort IanaVxlanGpe = 4790;

    /// <summary>IANA's port for GENEVE.</summary>
    public const ushort IanaGeneve = 6081;

    /// <summary>IANA's port for GRE-in-UDP.</summary>
    public const ushort IanaGreUdp = 4754;

    /// <summary>The IANA assignments.</summary>
    public static UdpTunnelPorts Iana { get; } = new();

    /// <summary>
    /// Why these ports cannot identify the tunnels, or <see langword="null"/> when they can: every port is non-zero
    /// (port 0 is reserved) and no two tunnels share a port, so a datagram names one tunnel at most.
    /// </summary>
    public string? Problem()
    {
        ReadOnlySpan<ushort> ports = [Vxlan, VxlanGpe, Geneve, GreUdp];
        for (int i = 0; i < ports.Length; i++)
        {
            if (ports[i] == 0)
            {
                return $"the {Names[i]} port is 0, which is reserved and identifies no tunnel";
            }

            for (int j = 0; j < i; j++)
            {
                if (ports[i] == ports[j])
                {
                    return $"{Names[j]} and {Names[i]} both use port {ports[i]}; a datagram must name one tunnel";
                }
            }
        }

        return null;
    }

    private static readonly string[] Names = ["VXLAN", "VXLAN_GPE", "GENEVE", "GRE_UDP"];
}
