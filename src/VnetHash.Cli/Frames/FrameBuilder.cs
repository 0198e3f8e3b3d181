using System.Buffers.Binary;

namespace VnetHash.Cli.Frames;

/// <summary>
/// Builds Ethernet, IPv4, IPv6, TCP and UDP frames with correct IPv4 header and TCP/UDP checksums, including
/// VLAN tags, fragments and the IPv6 extension headers the <c>_EX</c> hash types look at.
/// </summary>
public static class FrameBuilder
{
    public const int EthernetHeaderLength = 14;
    private const int TcpHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private static readonly byte[] SourceMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
    private static readonly byte[] DestinationMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

    /// <summary>An Ethernet frame (with an 802.1Q tag when <see cref="FrameSpec.VlanId"/> is set).</summary>
    public static byte[] Ethernet(FrameSpec spec)
    {
        byte[] ip = IP(spec);
        int tag = spec.VlanId is null ? 0 : 4;
        var frame = new byte[EthernetHeaderLength + tag + ip.Length];
        DestinationMac.CopyTo(frame, 0);
        SourceMac.CopyTo(frame, 6);
        int offset = 12;
        if (spec.VlanId is ushort vlan)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset + 2), (ushort)(vlan & 0x0FFF));
            offset += 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), spec.IsIPv6 ? (ushort)0x86DD : (ushort)0x0800);
        ip.CopyTo(frame, offset + 2);
        return frame;
    }

    /// <summary>The IP packet alone, as a TUN device carries it.</summary>
    public static byte[] IP(FrameSpec spec)
    {
        if (spec.Source.Length is not (4 or 16) || spec.Destination.Length != spec.Source.Length)
        {
            throw new ArgumentException("Source and destination must both be 4 (IPv4) or 16 (IPv6) bytes.", nameof(spec));
        }

        if (!spec.IsIPv6 && (spec.HomeAddress is not null || spec.RoutingAddress is not null))
        {
            throw new ArgumentException("Home Address and type-2 Routing headers exist only in IPv6.", nameof(spec));
        }

        // The pseudo-header uses the home address as source and the routing header's address as the final
        // destination (RFC 6275 6.3 and 6.4), as the receiving host sees them.
        byte[] checksumSource = spec.HomeAddress ?? spec.Source;
        byte[] checksumDestination = spec.RoutingAddress ?? spec.Destination;
        byte[] transport = Transport(spec, checksumSource, checksumDestination);
        (int fragmentOffset, byte[] piece) = Piece(spec.Fragment, transport);
        bool more = spec.Fragment == FragmentPart.First;
        return spec.IsIPv6 ? IPv6(spec, piece, fragmentOffset, more) : IPv4(spec, piece, fragmentOffset, more);
    }

    /// <summary>The ones' complement Internet checksum of <paramref name="data"/> added to <paramref name="initial"/>.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong sum = initial;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static byte[] Transport(FrameSpec spec, byte[] source, byte[] destination)
    {
        int header = spec.Protocol switch { 6 => TcpHeaderLength, 17 => UdpHeaderLength, _ => 0 };
        var segment = new byte[header + spec.PayloadLength];
        for (int i = header; i < segment.Length; i++)
        {
            segment[i] = (byte)('a' + ((i - header) % 26));
        }

        Span<byte> s = segment;
        if (spec.Protocol == 6)
        {
            BinaryPrimitives.WriteUInt16BigEndian(s, spec.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(s[2..], spec.DestinationPort);
            BinaryPrimitives.WriteUInt32BigEndian(s[4..], spec.Sequence);
            s[12] = 5 << 4;
            s[13] = 0x18; // PSH, ACK
            BinaryPrimitives.WriteUInt16BigEndian(s[14..], 65535);
        }
        else if (spec.Protocol == 17)
        {
            BinaryPrimitives.WriteUInt16BigEndian(s, spec.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(s[2..], spec.DestinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(s[4..], (ushort)segment.Length);
        }
        else
        {
            return segment;
        }

        uint pseudo = PseudoHeaderSum(source, destination, spec.Protocol, segment.Length);
        ushort checksum = Checksum(segment, pseudo);

        // UDP sends a computed 0 as 0xFFFF: 0 means "no checksum" (RFC 768).
        if (spec.Protocol == 17 && checksum == 0)
        {
            checksum = 0xFFFF;
        }

        BinaryPrimitives.WriteUInt16BigEndian(s[(spec.Protocol == 6 ? 16 : 6)..], checksum);
        return segment;
    }

    private static uint PseudoHeaderSum(byte[] source, byte[] destination, int protocol, int length)
    {
        uint sum = 0;
        for (int i = 0; i < source.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(source.AsSpan(i));
            sum += BinaryPrimitives.ReadUInt16BigEndian(destination.AsSpan(i));
        }

        return sum + (uint)protocol + (uint)length;
    }

    // Fragments split the transport segment at a multiple of 8 bytes; both pieces keep the checksum of the whole.
    private static (int Offset, byte[] Piece) Piece(FragmentPart part, byte[] transport)
    {
        if (part == FragmentPart.None)
        {
            return (0, transport);
        }

        if (transport.Length < 16)
        {
            throw new ArgumentException("A fragmented datagram needs at least 16 transport bytes (header plus payload).");
        }

        int split = Math.Max(8, (transport.Length / 2) & ~7);
        return part == FragmentPart.First ? (0, transport[..split]) : (split, transport[split..]);
    }

    private static byte[] IPv4(FrameSpec spec, byte[] piece, int fragmentOffset, bool more)
    {
        const int headerLength = 20;
        var packet = new byte[headerLength + piece.Length];
        Span<byte> p = packet;
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], (ushort)spec.Sequence);
        ushort flags = (ushort)((more ? 0x2000 : 0) | (fragmentOffset / 8));
        if (spec.Fragment == FragmentPart.None)
        {
            flags = 0x4000; // DF
        }

        BinaryPrimitives.WriteUInt16BigEndian(p[6..], flags);
        p[8] = 64;
        p[9] = (byte)spec.Protocol;
        spec.Source.CopyTo(p[12..]);
        spec.Destination.CopyTo(p[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(p[10..], Checksum(p[..headerLength]));
        piece.CopyTo(p[headerLength..]);
        return packet;
    }

    private static byte[] IPv6(FrameSpec spec, byte[] piece, int fragmentOffset, bool more)
    {
        const int headerLength = 40;
        const byte routing = 43, fragment = 44, destinationOptions = 60;
        var headers = new List<(byte Type, byte[] Body)>();
        if (spec.RoutingAddress is not null)
        {
            var rh = new byte[24];
            rh[1] = 2; // (2 + 1) * 8 = 24 bytes
            rh[2] = 2; // type 2
            rh[3] = 1; // segments left
            spec.RoutingAddress.CopyTo(rh, 8);
            headers.Add((routing, rh));
        }

        if (spec.HomeAddress is not null)
        {
            var dest = new byte[24];
            dest[1] = 2;
            dest[2] = 1; // PadN of 4 bytes puts the option at 8n+6, as RFC 6275 6.3 requires
            dest[3] = 2;
            dest[6] = 201; // Home Address option
            dest[7] = 16;
            spec.HomeAddress.CopyTo(dest, 8);
            headers.Add((destinationOptions, dest));
        }

        if (spec.Fragment != FragmentPart.None)
        {
            var frag = new byte[8];
            BinaryPrimitives.WriteUInt16BigEndian(frag.AsSpan(2), (ushort)(fragmentOffset | (more ? 1 : 0)));
            BinaryPrimitives.WriteUInt32BigEndian(frag.AsSpan(4), spec.Sequence);
            headers.Add((fragment, frag));
        }

        int extensionLength = headers.Sum(h => h.Body.Length);
        var packet = new byte[headerLength + extensionLength + piece.Length];
        Span<byte> p = packet;
        p[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], (ushort)(extensionLength + piece.Length));
        p[6] = headers.Count > 0 ? headers[0].Type : (byte)spec.Protocol;
        p[7] = 64;
        spec.Source.CopyTo(p[8..]);
        spec.Destination.CopyTo(p[24..]);
        int offset = headerLength;
        for (int i = 0; i < headers.Count; i++)
        {
            byte[] body = headers[i].Body;
            body[0] = i + 1 < headers.Count ? headers[i + 1].Type : (byte)spec.Protocol;
            body.CopyTo(p[offset..]);
            offset += body.Length;
        }

        piece.CopyTo(p[offset..]);
        return packet;
    }
}
