using System.Runtime.CompilerServices;
using VnetHash.Hashing;

namespace VnetHash.Packets;

/// <summary>
/// What the hash rules need from one frame, as offsets into that frame so the tuple can be hashed
/// where it lies. Offsets are -1 where a field is absent.
/// </summary>
public struct PacketInfo
{
    /// <summary>The network protocol; <see cref="NetworkProtocol.None"/> when the frame gets no hash.</summary>
    public NetworkProtocol Network { get; internal set; }

    /// <summary>
    /// Offset of the source address; the destination follows it (4 or 16 bytes later) when
    /// <see cref="AddressesInPlace"/>. Under <c>linux-tun</c> the dissector can stop with a network protocol pending
    /// (at its header bound, or on a GRE version 1 header that is not PPTP's) and hash the addresses its one address
    /// key holds: -1 when no IP header was read (the addresses count as zero), or the last IP header's addresses.
    /// </summary>
    public int AddressOffset { get; internal set; }

    /// <summary>The final IPv4 protocol or IPv6 next header after the extension-header walk; -1 when unknown.</summary>
    public int Protocol { get; internal set; }

    /// <summary>TCP or UDP when the rules of the profile accept the transport header.</summary>
    public TransportProtocol Transport { get; internal set; }

    /// <summary>Offset of the 4 port bytes (source then destination); -1 when the ports count as zero.</summary>
    public int PortsOffset { get; internal set; }

    /// <summary>Whether the packet is an IP fragment (IPv4 MF or offset, or any IPv6 Fragment header).</summary>
    public bool IsFragment { get; internal set; }

    /// <summary>Whether the IPv6 packet carries at least one extension header that was walked.</summary>
    public bool HasExtensionHeaders { get; internal set; }

    /// <summary>Offset of the Home Address option's address (Destination Options, type 201); -1 when absent.</summary>
    public int HomeAddressOffset { get; internal set; }

    /// <summary>Offset of the type-2 Routing header's address; -1 when absent.</summary>
    public int RoutingAddressOffset { get; internal set; }

    /// <summary>
    /// The enabled encapsulation types the frame's outer header matched, when the other fields describe its inner
    /// packet; <see cref="TunnelTypes.None"/> when they describe the frame's own (outer) header.
    /// </summary>
    public TunnelTypes Tunnel { get; internal set; }

    /// <summary>
    /// <c>linux-tun</c> only, for IPv6 reported after an IPv4 header was the last read (the dissector's address key
    /// is one union): the 32 address bytes are 8 at <see cref="AddressOffset"/>, then 24 at this offset, or zeros
    /// (<see cref="ZeroTail"/>). 0 otherwise.
    /// </summary>
    internal int AddressTail { get; set; }

    /// <summary>The <see cref="AddressTail"/> that stands for 24 zero bytes.</summary>
    internal const int ZeroTail = -1;

    /// <summary>Whether the addresses are not simply side by side at <see cref="AddressOffset"/>.</summary>
    internal readonly bool HasUnionAddresses
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => AddressOffset < 0 || AddressTail != 0;
    }

    /// <summary>
    /// Whether both addresses lie side by side at <see cref="AddressOffset"/>, 2 × <see cref="AddressLength"/> bytes
    /// of the frame. False for a network protocol only under <c>linux-tun</c>, when the walk stopped with IPv6 pending
    /// after an IPv4 header was read (8 bytes of IPv4 addresses, then what an older IPv6 header left or zeros) or with
    /// no IP header read (zeros): <see cref="HashInput.WriteAddresses"/> gives the addresses hashed.
    /// </summary>
    public readonly bool AddressesInPlace
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Network != NetworkProtocol.None && !HasUnionAddresses;
    }

    /// <summary>Length of one address: 4 for IPv4, 16 for IPv6, 0 otherwise.</summary>
    public readonly int AddressLength
    {
        // Inlined where the frame path reads it (an ahead-of-time build would call it otherwise).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Network switch
        {
            NetworkProtocol.IPv4 => 4,
            NetworkProtocol.IPv6 => 16,
            _ => 0,
        };
    }

    internal static PacketInfo NotIP => new()
    {
        Network = NetworkProtocol.None,
        AddressOffset = -1,
        Protocol = -1,
        PortsOffset = -1,
        HomeAddressOffset = -1,
        RoutingAddressOffset = -1,
    };
}
