namespace VnetHash.Hashing;

/// <summary>Which set of hashing rules decides a packet's hash type.</summary>
public enum HashProfile
{
    /// <summary>
    /// The virtio specification as written (the default): all nine types, <c>_EX</c> rules for IPv6 with
    /// extension headers, outer headers only, TCP/UDP only with their full header present.
    /// </summary>
    VirtioSpec = 0,

    /// <summary>
    /// What the Linux series "tun: Introduce virtio-net hashing feature" computes, measured on its kernel:
    /// the six non-<c>_EX</c> types, and the flow dissector's decisions (tunnels, PPPoE, AH, cut-short L4, ...).
    /// </summary>
    LinuxTun = 1,
}
