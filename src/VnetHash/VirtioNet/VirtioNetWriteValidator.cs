using System.Buffers.Binary;
using VnetHash.Packets;

namespace VnetHash.VirtioNet;

/// <summary>
/// The checks the kernel applies to a vnet header and frame written to a TUN/TAP device
/// (<c>tun_vnet_hdr_get</c>, then <c>virtio_net_hdr_to_skb</c>; reference kernel-series §6.3 steps 2, 5, 6,
/// 9 and 10), each failure named by a <see cref="VirtioNetHeaderError"/> instead of a bare <c>EINVAL</c>.
/// </summary>
/// <remarks>
/// <para>
/// Offsets (<c>csum_start</c>, the transport offset) count from the frame's first byte, the Ethernet header
/// on a TAP device and the IP header on a TUN device, as the kernel counts them at this point.
/// </para>
/// <para>
/// One rule needs the packet's protocols: a GSO packet without <c>NEEDS_CSUM</c> must be of the network and
/// transport protocol its GSO type names. The kernel finds them with its flow dissector where the device has
/// set a network header (macvtap); tun itself only checks that the frame is long enough for the minimal
/// network and transport headers. Here a minimal, bounded parse stands in for the dissector: the EtherType of
/// a TAP frame or the version nibble of a TUN packet, then the IPv4 header (<c>ihl</c> and protocol) or the
/// fixed IPv6 header (next header). It looks through no VLAN tag and no IPv6 extension header, so it refuses
/// some frames the dissector would accept; it is at least as strict as tun's length check.
/// </para>
/// <para>
/// UDP-tunnel GSO (<c>gso_type</c> with <see cref="VirtioNetGsoType.UdpTunnelIPv4"/> or
/// <see cref="VirtioNetGsoType.UdpTunnelIPv6"/>, Linux 6.17 on): tun reads the 24-byte
/// <c>virtio_net_hdr_v1_hash_tunnel</c> when the configured header has at least 24 bytes, and then checks the
/// virtio specification's rules and the offsets (<c>virtio_net_hdr_tnl_to_skb</c>). Two of the specification's rules
/// tun does not check, <c>DATA_VALID</c> and <c>UDP_TUNNEL_CSUM</c> without a tunnel bit; they are refused here too.
/// </para>
/// </remarks>
public static class VirtioNetWriteValidator
{
    private const int EthernetHeaderLength = 14;
    private const int IPv4MinHeaderLength = 20;
    private const int IPv6HeaderLength = 40;
    private const int TcpHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private const int TcpChecksumOffset = 16;
    private const int UdpChecksumOffset = 6;
    private const int UdpMaxSegments = 64;
    private const ushort GsoByFrags = 0xFFFF;
    private const VirtioNetGsoType UdpTunnelBits = VirtioNetGsoType.UdpTunnelIPv4 | VirtioNetGsoType.UdpTunnelIPv6;

    /// <summary>
    /// Checks a write: <paramref name="buffer"/> is what the application passes to <c>write()</c>, the vnet
    /// header of <paramref name="headerSize"/> bytes followed by the frame.
    /// </summary>
    /// <returns>The header as the kernel uses it: with <c>NEEDS_CSUM</c>, <c>hdr_len</c> is raised to cover the checksum field.</returns>
    /// <exception cref="VirtioNetHeaderException">The kernel would reject the write; the exception names the rule.</exception>
    public static VirtioNetHeader Validate(ReadOnlySpan<byte> buffer, int headerSize, VnetByteOrder byteOrder, FrameKind deviceFrames)
    {
        var error = Check(buffer, headerSize, byteOrder, deviceFrames, describe: true, out VirtioNetHeader header, out string? detail);
        if (error != VirtioNetHeaderError.None)
        {
            throw new VirtioNetHeaderException(error, detail!);
        }

        return header;
    }

    /// <summary>As <see cref="Validate"/>, without throwing: <see langword="false"/> and the rule when the kernel would reject the write.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> buffer, int headerSize, VnetByteOrder byteOrder, FrameKind deviceFrames, out VirtioNetHeaderError error)
    {
        error = Check(buffer, headerSize, byteOrder, deviceFrames, describe: false, out _, out _);
        return error == VirtioNetHeaderError.None;
    }

    // Messages are built only for Validate, so TryValidate allocates nothing even when it refuses a write.
    private static VirtioNetHeaderError Check(
        ReadOnlySpan<byte> buffer,
        int headerSize,
        VnetByteOrder byteOrder,
        FrameKind deviceFrames,
        bool describe,
        out VirtioNetHeader header,
        out string? detail)
    {
        header = default;
        detail = null;
        if (headerSize < VirtioNetHeader.LegacySize)
        {
            detail = describe ? $"the vnet header size is {headerSize}, the kernel accepts no less than {VirtioNetHeader.LegacySize}" : null;
            return VirtioNetHeaderError.HeaderSizeTooSmall;
        }

        // Step 2.
        if (buffer.Length < headerSize)
        {
            detail = describe ? $"{buffer.Length} bytes written, the vnet header alone has {headerSize}" : null;
            return VirtioNetHeaderError.ShortBuffer;
        }

        // tun reads the tunnel offsets only from a header of at least 24 bytes.
        header = VirtioNetHeader.ReadFrom(buffer[..Math.Min(headerSize, VirtioNetHeader.HashTunnelSize)], byteOrder);

        // Step 5: the kernel stores the sum back into the 16-bit field, so it wraps.
        bool needsCsum = (header.Flags & VirtioNetHeaderFlags.NeedsCsum) != 0;
        if (needsCsum && header.CsumStart + header.CsumOffset + 2 > header.HdrLen)
        {
            header = header with { HdrLen = (ushort)(header.CsumStart + header.CsumOffset + 2) };
        }

        // Step 6: checked against everything after the 10-byte header, padding included.
        int afterLegacy = buffer.Length - VirtioNetHeader.LegacySize;
        if (header.HdrLen > afterLegacy)
        {
            detail = describe ? $"hdr_len {header.HdrLen} exceeds the {afterLegacy} bytes after the 10-byte header" : null;
            return VirtioNetHeaderError.HdrLenBeyondData;
        }

        ReadOnlySpan<byte> frame = buffer[headerSize..];

        // Step 9.
        if (deviceFrames == FrameKind.Ethernet)
        {
            if (frame.Length < EthernetHeaderLength)
            {
                detail = describe ? $"a TAP frame of {frame.Length} bytes is shorter than the {EthernetHeaderLength}-byte Ethernet header" : null;
                return VirtioNetHeaderError.FrameShorterThanEthernetHeader;
            }

            if (header.HdrLen is > 0 and < EthernetHeaderLength)
            {
                detail = describe ? $"hdr_len {header.HdrLen} ends inside the {EthernetHeaderLength}-byte Ethernet header" : null;
                return VirtioNetHeaderError.HdrLenInsideEthernetHeader;
            }
        }

        // Step 10.
        if ((header.GsoType & UdpTunnelBits) != 0)
        {
            return CheckUdpTunnel(buffer, header, headerSize, frame, deviceFrames, describe, out detail);
        }

        if ((header.Flags & VirtioNetHeaderFlags.UdpTunnelCsum) != 0)
        {
            detail = describe ? "UDP_TUNNEL_CSUM (flags 0x08) without UDP_TUNNEL_IPV4 or UDP_TUNNEL_IPV6 in gso_type" : null;
            return VirtioNetHeaderError.UdpTunnelChecksumWithoutTunnel;
        }

        return CheckSkbMetadata(header, frame, deviceFrames, describe, out detail);
    }

    /// <summary>
    /// The rules for a UDP-tunnel GSO packet (virtio spec, "Packet Transmission"; tun's <c>virtio_net_hdr_tnl_to_skb</c>),
    /// then the plain rules for the GSO type under the tunnel bit. Linux reads the tunnel bit as the outer network
    /// protocol, and <c>csum_start</c> points at the inner transport header.
    /// </summary>
    private static VirtioNetHeaderError CheckUdpTunnel(
        ReadOnlySpan<byte> buffer,
        VirtioNetHeader header,
        int headerSize,
        ReadOnlySpan<byte> frame,
        FrameKind deviceFrames,
        bool describe,
        out string? detail)
    {
        detail = null;
        var tunnel = header.GsoType & UdpTunnelBits;
        var inner = header.GsoType & ~(UdpTunnelBits | VirtioNetGsoType.Ecn);
        if (headerSize < VirtioNetHeader.HashTunnelSize)
        {
            detail = describe ? $"gso_type 0x{(byte)header.GsoType:x2} asks for a UDP tunnel, which needs the {VirtioNetHeader.HashTunnelSize}-byte header; the header has {headerSize}" : null;
            return VirtioNetHeaderError.UdpTunnelNotNegotiated;
        }

        if (tunnel == UdpTunnelBits)
        {
            detail = describe ? "UDP_TUNNEL_IPV4 and UDP_TUNNEL_IPV6 together" : null;
            return VirtioNetHeaderError.UdpTunnelBothVersions;
        }

        if (inner == VirtioNetGsoType.None)
        {
            detail = describe ? $"a UDP tunnel bit with no GSO type (gso_type 0x{(byte)header.GsoType:x2})" : null;
            return VirtioNetHeaderError.UdpTunnelWithoutGso;
        }

        if (inner == VirtioNetGsoType.Udp)
        {
            detail = describe ? "a UDP tunnel bit with GSO_UDP (UFO); UDP segmentation in a tunnel is UDP_L4" : null;
            return VirtioNetHeaderError.UdpTunnelWithUfo;
        }

        if ((header.Flags & VirtioNetHeaderFlags.NeedsCsum) == 0)
        {
            detail = describe ? "a UDP-tunnel GSO packet without NEEDS_CSUM" : null;
            return VirtioNetHeaderError.UdpTunnelRequiresChecksum;
        }

        if ((header.Flags & VirtioNetHeaderFlags.DataValid) != 0)
        {
            detail = describe ? "a UDP-tunnel GSO packet with DATA_VALID" : null;
            return VirtioNetHeaderError.UdpTunnelWithDataValid;
        }

        // The minimal outer header counts an Ethernet header whatever the device's frames (as tun counts it).
        int outerMinimum = EthernetHeaderLength + (tunnel == VirtioNetGsoType.UdpTunnelIPv6 ? IPv6HeaderLength : IPv4MinHeaderLength);
        if (header.OuterThOffset < outerMinimum)
        {
            detail = describe ? $"outer_th_offset {header.OuterThOffset} is below {outerMinimum}, the Ethernet and minimal outer {(tunnel == VirtioNetGsoType.UdpTunnelIPv6 ? "IPv6" : "IPv4")} headers" : null;
            return VirtioNetHeaderError.OuterTransportOffsetTooSmall;
        }

        if (header.InnerNhOffset < header.OuterThOffset + UdpHeaderLength)
        {
            detail = describe ? $"inner_nh_offset {header.InnerNhOffset} is below outer_th_offset {header.OuterThOffset} + the {UdpHeaderLength}-byte UDP header" : null;
            return VirtioNetHeaderError.InnerNetworkOffsetTooSmall;
        }

        var innerError = CheckInnerTransportOffset(header, inner == VirtioNetGsoType.TcpV6, describe, out detail);
        if (innerError != VirtioNetHeaderError.None)
        {
            return innerError;
        }

        // tun checks the GSO type under the tunnel bit with the plain rules, reading the header little-endian.
        var plain = VirtioNetHeader.ReadFrom(buffer[..VirtioNetHeader.LegacySize], VnetByteOrder.LittleEndian) with { GsoType = header.GsoType & ~UdpTunnelBits };
        if ((plain.Flags & VirtioNetHeaderFlags.NeedsCsum) != 0 && plain.CsumStart + plain.CsumOffset + 2 > plain.HdrLen)
        {
            plain = plain with { HdrLen = (ushort)(plain.CsumStart + plain.CsumOffset + 2) };
        }

        var error = CheckSkbMetadata(plain, frame, deviceFrames, describe, out detail);
        if (error != VirtioNetHeaderError.None || inner != VirtioNetGsoType.UdpL4)
        {
            return error;
        }

        // UDP segmentation does not say the inner IP version: it is read from the inner header's version nibble.
        bool innerV6 = header.InnerNhOffset < frame.Length && frame[header.InnerNhOffset] >> 4 == 6;
        return CheckInnerTransportOffset(header, innerV6, describe, out detail);
    }

    private static VirtioNetHeaderError CheckInnerTransportOffset(VirtioNetHeader header, bool innerV6, bool describe, out string? detail)
    {
        int minimum = header.InnerNhOffset + (innerV6 ? IPv6HeaderLength : IPv4MinHeaderLength);
        if (header.CsumStart < minimum)
        {
            detail = describe ? $"csum_start {header.CsumStart} (the inner transport header) is below inner_nh_offset {header.InnerNhOffset} + the minimal inner {(innerV6 ? "IPv6" : "IPv4")} header" : null;
            return VirtioNetHeaderError.InnerTransportOffsetTooSmall;
        }

        detail = null;
        return VirtioNetHeaderError.None;
    }

    private static VirtioNetHeaderError CheckSkbMetadata(VirtioNetHeader header, ReadOnlySpan<byte> frame, FrameKind deviceFrames, bool describe, out string? detail)
    {
        detail = null;
        int networkMinLength = IPv4MinHeaderLength;
        int transportLength = 0;
        int ipProtocol = 0;
        var gsoKind = header.GsoType & ~VirtioNetGsoType.Ecn;
        bool gso = header.GsoType != VirtioNetGsoType.None;
        if (gso)
        {
            switch (gsoKind)
            {
                case VirtioNetGsoType.TcpV4:
                    ipProtocol = IPProtocol.Tcp;
                    transportLength = TcpHeaderLength;
                    break;
                case VirtioNetGsoType.TcpV6:
                    ipProtocol = IPProtocol.Tcp;
                    transportLength = TcpHeaderLength;
                    networkMinLength = IPv6HeaderLength;
                    break;
                case VirtioNetGsoType.Udp:
                case VirtioNetGsoType.UdpL4:
                    ipProtocol = IPProtocol.Udp;
                    transportLength = UdpHeaderLength;
                    break;
                default:
                    detail = describe ? $"gso_type 0x{(byte)header.GsoType:x2} names no GSO kind (TCPv4 1, UDP 3, TCPv6 4, UDP_L4 5; UDP tunnel bits 0x20, 0x40; ECN bit 0x80)" : null;
                    return VirtioNetHeaderError.UnknownGsoType;
            }

            if (header.GsoSize == 0)
            {
                detail = describe ? "a GSO packet with gso_size 0" : null;
                return VirtioNetHeaderError.GsoSizeZero;
            }
        }

        int payloadOffset = 0;
        bool needsCsum = (header.Flags & VirtioNetHeaderFlags.NeedsCsum) != 0;
        if (needsCsum)
        {
            int start = header.CsumStart;
            int needed = start + Math.Max(transportLength, header.CsumOffset + 2);
            if (needed > frame.Length)
            {
                detail = describe ? $"csum_start {start} + csum_offset {header.CsumOffset} (or the transport header) needs {needed} bytes, the frame has {frame.Length}" : null;
                return VirtioNetHeaderError.ChecksumOutsidePacket;
            }

            if (start < networkMinLength)
            {
                detail = describe ? $"transport offset (csum_start) {start} is below the minimal network header of {networkMinLength} bytes" : null;
                return VirtioNetHeaderError.TransportOffsetTooSmall;
            }

            payloadOffset = start + transportLength;
        }
        else if (gso)
        {
            var error = FindTransport(frame, deviceFrames, gsoKind, ipProtocol, transportLength, describe, out payloadOffset, out detail);
            if (error != VirtioNetHeaderError.None)
            {
                return error;
            }
        }

        if (!gso)
        {
            return VirtioNetHeaderError.None;
        }

        if (gsoKind == VirtioNetGsoType.UdpL4)
        {
            if (!needsCsum)
            {
                detail = describe ? "UDP segmentation (UDP_L4) needs NEEDS_CSUM" : null;
                return VirtioNetHeaderError.UsoRequiresChecksum;
            }

            if (header.CsumOffset != UdpChecksumOffset)
            {
                detail = describe ? $"UDP segmentation needs csum_offset {UdpChecksumOffset} (the UDP checksum), got {header.CsumOffset}" : null;
                return VirtioNetHeaderError.UsoChecksumOffset;
            }

            long payload = frame.Length - payloadOffset;
            if (payload > (long)header.GsoSize * UdpMaxSegments)
            {
                detail = describe ? $"a UDP payload of {payload} bytes needs more than {UdpMaxSegments} segments of {header.GsoSize}" : null;
                return VirtioNetHeaderError.UsoTooManySegments;
            }

            if ((header.GsoType & VirtioNetGsoType.Ecn) != 0)
            {
                detail = describe ? "UDP segmentation with the ECN bit" : null;
                return VirtioNetHeaderError.UsoWithEcn;
            }
        }
        else if (gsoKind is VirtioNetGsoType.TcpV4 or VirtioNetGsoType.TcpV6 && needsCsum && header.CsumOffset != TcpChecksumOffset)
        {
            detail = describe ? $"TCP segmentation with a partial checksum needs csum_offset {TcpChecksumOffset} (the TCP checksum), got {header.CsumOffset}" : null;
            return VirtioNetHeaderError.TcpGsoChecksumOffset;
        }

        if (header.GsoSize == GsoByFrags)
        {
            detail = describe ? "gso_size 0xFFFF is the kernel's internal GSO_BY_FRAGS" : null;
            return VirtioNetHeaderError.GsoSizeByFrags;
        }

        return VirtioNetHeaderError.None;
    }

    private static VirtioNetHeaderError FindTransport(
        ReadOnlySpan<byte> frame,
        FrameKind deviceFrames,
        VirtioNetGsoType gsoKind,
        int ipProtocol,
        int transportLength,
        bool describe,
        out int payloadOffset,
        out string? detail)
    {
        payloadOffset = 0;
        detail = null;
        int networkOffset;
        bool ipv6;
        if (deviceFrames == FrameKind.Ethernet)
        {
            networkOffset = EthernetHeaderLength;
            ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
            if (etherType is not (EtherType.IPv4 or EtherType.IPv6))
            {
                detail = describe ? $"EtherType 0x{etherType:x4} is not IPv4 or IPv6, which GSO type {gsoKind} needs" : null;
                return VirtioNetHeaderError.GsoProtocolMismatch;
            }

            ipv6 = etherType == EtherType.IPv6;
        }
        else
        {
            networkOffset = 0;
            int version = frame.IsEmpty ? 0 : frame[0] >> 4;
            if (version is not (4 or 6))
            {
                detail = describe ? $"IP version {version} is not 4 or 6, which GSO type {gsoKind} needs" : null;
                return VirtioNetHeaderError.GsoProtocolMismatch;
            }

            ipv6 = version == 6;
        }

        if ((gsoKind == VirtioNetGsoType.TcpV4 && ipv6) || (gsoKind == VirtioNetGsoType.TcpV6 && !ipv6))
        {
            detail = describe ? $"GSO type {gsoKind} on an {(ipv6 ? "IPv6" : "IPv4")} packet" : null;
            return VirtioNetHeaderError.GsoProtocolMismatch;
        }

        ReadOnlySpan<byte> network = frame[networkOffset..];
        int transportOffset;
        int protocol;
        if (ipv6)
        {
            if (network.Length < IPv6HeaderLength)
            {
                detail = describe ? $"the IPv6 header needs {IPv6HeaderLength} bytes, {network.Length} follow" : null;
                return VirtioNetHeaderError.GsoHeadersTruncated;
            }

            protocol = network[6];
            transportOffset = networkOffset + IPv6HeaderLength;
        }
        else
        {
            int headerLength = network.Length >= IPv4MinHeaderLength ? (network[0] & 0x0F) * 4 : 0;
            if (headerLength < IPv4MinHeaderLength || network.Length < headerLength)
            {
                detail = describe ? $"no complete IPv4 header in the {network.Length} bytes that follow" : null;
                return VirtioNetHeaderError.GsoHeadersTruncated;
            }

            protocol = network[9];
            transportOffset = networkOffset + headerLength;
        }

        if (protocol != ipProtocol)
        {
            detail = describe ? $"IP protocol {protocol}, GSO type {gsoKind} needs {ipProtocol}" : null;
            return VirtioNetHeaderError.GsoProtocolMismatch;
        }

        payloadOffset = transportOffset + transportLength;
        if (payloadOffset > frame.Length)
        {
            detail = describe ? $"the transport header ends at {payloadOffset}, the frame has {frame.Length} bytes" : null;
            return VirtioNetHeaderError.GsoHeadersTruncated;
        }

        return VirtioNetHeaderError.None;
    }
}
