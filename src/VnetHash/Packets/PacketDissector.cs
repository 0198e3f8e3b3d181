using System.Buffers.Binary;
using VnetHash.Hashing;

namespace VnetHash.Packets;

/// <summary>
/// Finds in a frame what the virtio-net hash rules need: the network protocol, where the addresses and ports
/// are, whether the packet is a fragment, and the IPv6 extension-header facts of the <c>_EX</c> types.
/// </summary>
/// <remarks>
/// Reads only inside the given bytes and never throws on any content: a header that cannot be read ends the
/// parse with what is known. Every loop is bounded, so arbitrary bytes cannot make it spin.
/// </remarks>
public static partial class PacketDissector
{
    /// <summary>The most stacked 802.1Q/802.1ad tags skipped before the EtherType is read.</summary>
    public const int MaxVlanTags = 8;

    /// <summary>The most IPv6 extension headers walked before the transport header is given up on.</summary>
    public const int MaxExtensionHeaders = 16;

    /// <summary>The most Destination Options TLVs scanned for a Home Address option.</summary>
    public const int MaxOptions = 32;

    private const int EthernetHeaderLength = 14;
    private const int IPv4MinimumHeaderLength = 20;
    private const int IPv6HeaderLength = 40;
    private const int TcpHeaderLength = 20;
    private const int UdpHeaderLength = 8;

    /// <summary>
    /// Dissects <paramref name="frame"/> under the rules of <paramref name="profile"/>; when its outer header matches
    /// one of <paramref name="tunnels"/>, the result describes the inner packet and <see cref="PacketInfo.Tunnel"/>
    /// says which types matched. UDP tunnels are recognised by <paramref name="ports"/> (<see cref="UdpTunnelPorts.Iana"/>
    /// when null).
    /// </summary>
    /// <exception cref="ConfigurationException">
    /// Tunnel types with the <c>linux-tun</c> profile, which descends into tunnels by the series kernel's own rules;
    /// bits no type defines; or ports that cannot identify the tunnels (<see cref="UdpTunnelPorts.Problem"/>).
    /// </exception>
    public static PacketInfo Dissect(
        ReadOnlySpan<byte> frame,
        FrameKind kind,
        HashProfile profile = HashProfile.VirtioSpec,
        TunnelTypes tunnels = TunnelTypes.None,
        UdpTunnelPorts? ports = null)
    {
        ports ??= UdpTunnelPorts.Iana;
        TunnelSupport.ThrowIfInvalid(profile, tunnels, ports);
        return DissectChecked(frame, kind, profile, tunnels, ports);
    }

    /// <summary>The dissection of a validated configuration: no argument checks, per packet.</summary>
    internal static PacketInfo DissectChecked(ReadOnlySpan<byte> frame, FrameKind kind, HashProfile profile, TunnelTypes tunnels, UdpTunnelPorts ports) =>
        profile == HashProfile.LinuxTun ? DissectLinuxTun(frame, kind) : DissectVirtioSpec(frame, kind, tunnels, ports);

    private static PacketInfo DissectVirtioSpec(ReadOnlySpan<byte> frame, FrameKind kind, TunnelTypes tunnels, UdpTunnelPorts ports)
    {
        int offset;
        ushort etherType;
        if (kind == FrameKind.IP)
        {
            if (frame.IsEmpty)
            {
                return PacketInfo.NotIP;
            }

            offset = 0;
            etherType = (frame[0] >> 4) switch
            {
                4 => EtherType.IPv4,
                6 => EtherType.IPv6,
                _ => 0,
            };
        }
        else if (!TrySkipEthernet(frame, 0, out offset, out etherType))
        {
            return PacketInfo.NotIP;
        }

        PacketInfo info = SpecNetwork(frame, offset, etherType, out int transport, out int end);
        return tunnels == TunnelTypes.None ? info : SpecTunnel(frame, in info, transport, end, tunnels, ports);
    }

    /// <summary>
    /// The IP header at <paramref name="offset"/> that <paramref name="etherType"/> announces, when its version nibble
    /// agrees. <paramref name="transport"/> is where the header after the IP header and its extension headers starts
    /// and <paramref name="end"/> where the IP packet ends; -1 and 0 when the walk did not get that far.
    /// </summary>
    private static PacketInfo SpecNetwork(ReadOnlySpan<byte> frame, int offset, ushort etherType, out int transport, out int end)
    {
        transport = -1;
        end = 0;
        return etherType switch
        {
            EtherType.IPv4 when VersionIs(frame, offset, 4) => SpecIPv4(frame, offset, ref transport, ref end),
            EtherType.IPv6 when VersionIs(frame, offset, 6) => SpecIPv6(frame, offset, ref transport, ref end),
            _ => PacketInfo.NotIP,
        };
    }

    /// <summary>
    /// Skips the Ethernet header at <paramref name="start"/> and up to <see cref="MaxVlanTags"/> tags; the tags are
    /// not hashed.
    /// </summary>
    private static bool TrySkipEthernet(ReadOnlySpan<byte> frame, int start, out int offset, out ushort etherType)
    {
        offset = start + EthernetHeaderLength;
        etherType = 0;
        if (frame.Length - start < EthernetHeaderLength)
        {
            return false;
        }

        etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(start + 12)..]);
        for (int tags = 0; etherType is EtherType.Vlan or EtherType.QinQ; tags++)
        {
            if (tags == MaxVlanTags || frame.Length < offset + 4)
            {
                return false;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
            offset += 4;
        }

        return true;
    }

    private static bool VersionIs(ReadOnlySpan<byte> frame, int offset, int version) =>
        offset < frame.Length && frame[offset] >> 4 == version;

    private static PacketInfo SpecIPv4(ReadOnlySpan<byte> frame, int ip, ref int transport, ref int packetEnd)
    {
        if (frame.Length - ip < IPv4MinimumHeaderLength)
        {
            return PacketInfo.NotIP;
        }

        int headerLength = (frame[ip] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 2)..]);
        if (headerLength < IPv4MinimumHeaderLength || headerLength > frame.Length - ip || totalLength < headerLength)
        {
            // A header that claims more than is there, or a total length shorter than the header, lies about
            // where the transport starts: the rules cannot tell what the packet carries.
            return PacketInfo.NotIP;
        }

        var info = PacketInfo.NotIP;
        info.Network = NetworkProtocol.IPv4;
        info.AddressOffset = ip + 12;
        info.Protocol = frame[ip + 9];
        info.IsFragment = (BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 6)..]) & 0x3FFF) != 0;

        // A capture may cut the packet short; the transport must lie inside both the frame and the IP packet.
        int end = Math.Min(frame.Length, ip + totalLength);
        transport = ip + headerLength;
        packetEnd = end;
        SpecTransport(ref info, transport, end);
        return info;
    }

    private static PacketInfo SpecIPv6(ReadOnlySpan<byte> frame, int ip, ref int transport, ref int packetEnd)
    {
        if (frame.Length - ip < IPv6HeaderLength)
        {
            return PacketInfo.NotIP;
        }

        var info = PacketInfo.NotIP;
        info.Network = NetworkProtocol.IPv6;
        info.AddressOffset = ip + 8;

        // Payload length 0 is a jumbogram (or unknown): the frame bounds the packet.
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 4)..]);
        int end = payloadLength == 0 ? frame.Length : Math.Min(frame.Length, ip + IPv6HeaderLength + payloadLength);

        int next = frame[ip + 6];
        int offset = ip + IPv6HeaderLength;
        for (int walked = 0; ; walked++)
        {
            if (!IsWalkedExtensionHeader(next))
            {
                break;
            }

            if (walked == MaxExtensionHeaders || end - offset < 2)
            {
                // Too deep or cut short: the transport header cannot be found, so addresses only.
                info.HasExtensionHeaders = true;
                return info;
            }

            int length = next == IPProtocol.AuthenticationHeader ? (frame[offset + 1] + 2) * 4
                : next == IPProtocol.Fragment ? 8
                : (frame[offset + 1] + 1) * 8;
            info.HasExtensionHeaders = true;
            if (length > end - offset)
            {
                return info;
            }

            ReadOnlySpan<byte> header = frame.Slice(offset, length);
            switch (next)
            {
                case IPProtocol.Fragment:
                    // Any Fragment header, atomic ones included, makes the packet a fragment; what follows it
                    // may not be there, and fragments hash on addresses only anyway.
                    info.IsFragment = true;
                    info.Protocol = header[0];
                    return info;
                case IPProtocol.DestinationOptions when info.HomeAddressOffset < 0:
                    int home = FindHomeAddress(header);
                    info.HomeAddressOffset = home < 0 ? -1 : offset + home;
                    break;
                case IPProtocol.Routing when info.RoutingAddressOffset < 0 && IsType2RoutingHeader(header):
                    info.RoutingAddressOffset = offset + 8;
                    break;
            }

            next = header[0];
            offset += length;
        }

        info.Protocol = next;
        transport = offset;
        packetEnd = end;
        SpecTransport(ref info, offset, end);
        return info;
    }

    private static bool IsWalkedExtensionHeader(int next) => next is IPProtocol.HopByHop or IPProtocol.Routing
        or IPProtocol.Fragment or IPProtocol.DestinationOptions or IPProtocol.AuthenticationHeader or IPProtocol.Mobility;

    /// <summary>RFC 6275 §6.4: routing type 2, one segment left, one 16-byte address after 4 reserved bytes.</summary>
    private static bool IsType2RoutingHeader(ReadOnlySpan<byte> header) =>
        header.Length == 24 && header[1] == 2 && header[2] == 2 && header[3] == 1;

    /// <summary>RFC 6275 §6.3: option type 201 with 16 bytes of data; returns the address offset in the header or -1.</summary>
    private static int FindHomeAddress(ReadOnlySpan<byte> header)
    {
        int offset = 2;
        for (int options = 0; options < MaxOptions && offset < header.Length; options++)
        {
            byte type = header[offset];
            if (type == 0)
            {
                offset++;
                continue;
            }

            if (offset + 2 > header.Length)
            {
                return -1;
            }

            int length = header[offset + 1];
            if (offset + 2 + length > header.Length)
            {
                return -1;
            }

            if (type == 201 && length == 16)
            {
                return offset + 2;
            }

            offset += 2 + length;
        }

        return -1;
    }

    /// <summary>TCP counts only with its full 20-byte header present, UDP with its 8 bytes.</summary>
    private static void SpecTransport(ref PacketInfo info, int offset, int end)
    {
        int available = end - offset;
        if (info.Protocol == IPProtocol.Tcp && available >= TcpHeaderLength)
        {
            info.Transport = TransportProtocol.Tcp;
            info.PortsOffset = offset;
        }
        else if (info.Protocol == IPProtocol.Udp && available >= UdpHeaderLength)
        {
            info.Transport = TransportProtocol.Udp;
            info.PortsOffset = offset;
        }
    }
}
