using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using VnetHash.Packets;

namespace VnetHash.Traffic;

/// <summary>
/// Builds test and sample frames layer by layer (Ethernet, VLAN tags, IPv4/IPv6 with extension headers, TCP/UDP),
/// filling lengths, next-header chains and checksums. Used by the tool's generator and by the tests.
/// </summary>
/// <remarks>Not a hot-path API: it allocates freely.</remarks>
public sealed class FrameBuilder
{
    private readonly List<Layer> _layers = [];

    private abstract record Layer;

    private sealed record EthernetLayer(byte[] Destination, byte[] Source, ushort? EtherType) : Layer;

    private sealed record TagLayer(ushort Tpid, ushort Tci) : Layer;

    private sealed record IPv4Layer(IPAddress Source, IPAddress Destination, bool MoreFragments, int FragmentOffset, bool DontFragment, byte[] Options, byte Ttl, ushort Identification) : Layer;

    private sealed record IPv6Layer(IPAddress Source, IPAddress Destination, byte HopLimit) : Layer;

    // HomeAddress and FinalDestination replace the IPv6 header's addresses in the transport checksum's
    // pseudo-header (RFC 6275 6.3 and 6.4, RFC 8200 8.1).
    private sealed record ExtensionLayer(int Type, byte[] Body, IPAddress? HomeAddress = null, IPAddress? FinalDestination = null) : Layer;

    private sealed record FragmentPieceLayer(int Offset, int? Length) : Layer;

    private sealed record TransportLayer(int Protocol, ushort SourcePort, ushort DestinationPort, int HeaderLength, uint Sequence, byte Flags, ushort Window) : Layer;

    private sealed record PayloadLayer(int Protocol, byte[] Bytes) : Layer;

    /// <summary>
    /// Starts the frame with an Ethernet header (locally administered default MACs). The EtherType follows the
    /// next layer unless <paramref name="etherType"/> overrides it.
    /// </summary>
    public FrameBuilder Ethernet(ReadOnlySpan<byte> destination = default, ReadOnlySpan<byte> source = default, ushort? etherType = null)
    {
        byte[] dst = destination.IsEmpty ? [0x02, 0, 0, 0, 0, 0x01] : destination.ToArray();
        byte[] src = source.IsEmpty ? [0x02, 0, 0, 0, 0, 0x02] : source.ToArray();
        _layers.Add(new EthernetLayer(dst, src, etherType));
        return this;
    }

    /// <summary>Adds an 802.1Q tag (or, with <paramref name="tpid"/> 0x88A8, an 802.1ad tag).</summary>
    public FrameBuilder Vlan(ushort id, ushort tpid = EtherType.Vlan)
    {
        _layers.Add(new TagLayer(tpid, (ushort)(id & 0x0FFF)));
        return this;
    }

    /// <summary>Adds an IPv4 header.</summary>
    /// <param name="source">The source address.</param>
    /// <param name="destination">The destination address.</param>
    /// <param name="moreFragments">The more-fragments flag.</param>
    /// <param name="fragmentOffset">The fragment offset field, in 8-byte units.</param>
    /// <param name="dontFragment">The don't-fragment flag.</param>
    /// <param name="options">Option bytes (a multiple of 4) after the 20-byte header.</param>
    /// <param name="ttl">The time to live.</param>
    /// <param name="identification">The identification field, which ties the fragments of one datagram together.</param>
    public FrameBuilder IPv4(string source, string destination, bool moreFragments = false, int fragmentOffset = 0, bool dontFragment = false, byte[]? options = null, byte ttl = 64, ushort identification = 0x1234)
    {
        var src = IPAddress.Parse(source);
        var dst = IPAddress.Parse(destination);
        if (src.AddressFamily != AddressFamily.InterNetwork || dst.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("IPv4 needs IPv4 addresses.");
        }

        _layers.Add(new IPv4Layer(src, dst, moreFragments, fragmentOffset, dontFragment, options ?? [], ttl, identification));
        return this;
    }

    /// <summary>Adds an IPv6 header.</summary>
    public FrameBuilder IPv6(string source, string destination, byte hopLimit = 64)
    {
        var src = IPAddress.Parse(source);
        var dst = IPAddress.Parse(destination);
        if (src.AddressFamily != AddressFamily.InterNetworkV6 || dst.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("IPv6 needs IPv6 addresses.");
        }

        _layers.Add(new IPv6Layer(src, dst, hopLimit));
        return this;
    }

    /// <summary>Adds an IPv6 Hop-by-Hop Options header padded to 8 bytes.</summary>
    public FrameBuilder HopByHop() => Extension(0, new byte[6]);

    /// <summary>
    /// Adds a Destination Options header, with a Home Address option when <paramref name="homeAddress"/> is given.
    /// The transport checksum then uses the home address as the pseudo-header's source (RFC 6275 6.3).
    /// </summary>
    public FrameBuilder DestinationOptions(string? homeAddress = null)
    {
        if (homeAddress is null)
        {
            return Extension(60, new byte[6]);
        }

        // PadN of 4 bytes puts the address on an 8n+6 boundary as RFC 6275 asks, then type 201, length 16.
        var body = new byte[22];
        body[0] = 1;
        body[1] = 2;
        body[4] = 201;
        body[5] = 16;
        var home = IPAddress.Parse(homeAddress);
        home.GetAddressBytes().CopyTo(body, 6);
        _layers.Add(new ExtensionLayer(60, body, HomeAddress: home));
        return this;
    }

    /// <summary>
    /// Adds a Routing header of <paramref name="routingType"/> carrying one address. While segments are left, that
    /// address is the final destination, so the transport checksum uses it as the pseudo-header's destination
    /// (RFC 8200 8.1; RFC 6275 6.4 for type 2).
    /// </summary>
    public FrameBuilder Routing(string address, byte routingType = 2, byte segmentsLeft = 1)
    {
        var body = new byte[22];
        body[0] = routingType;
        body[1] = segmentsLeft;
        var final = IPAddress.Parse(address);
        final.GetAddressBytes().CopyTo(body, 6);
        _layers.Add(new ExtensionLayer(43, body, FinalDestination: segmentsLeft > 0 ? final : null));
        return this;
    }

    /// <summary>Adds an IPv6 Fragment header (offset in 8-byte units).</summary>
    public FrameBuilder Fragment(int offset = 0, bool more = false, uint identification = 0x1234)
    {
        var body = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)((offset << 3) | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(2), identification);
        return Extension(44, body);
    }

    /// <summary>Adds an Authentication Header with a 12-byte ICV (24 bytes in all).</summary>
    public FrameBuilder AuthenticationHeader() => Extension(51, new byte[22]);

    /// <summary>Adds a Mobility header (8 bytes).</summary>
    public FrameBuilder Mobility() => Extension(135, new byte[6]);

    /// <summary>Adds a raw IPv6 extension header: <paramref name="body"/> follows the next-header byte.</summary>
    public FrameBuilder Extension(int type, byte[] body)
    {
        _layers.Add(new ExtensionLayer(type, body));
        return this;
    }

    /// <summary>
    /// Keeps only the part of the datagram one fragment carries: <paramref name="length"/> bytes (all the rest when
    /// null) from byte <paramref name="offset"/> of what the layers after this one serialise to. Those layers are
    /// built whole first, so a transport checksum covers the whole datagram, as the reassembling host checks it.
    /// Put it after the IPv4 header or the IPv6 Fragment header, whose offset and more-fragments fields must say the same.
    /// </summary>
    /// <param name="offset">Where the piece starts in the fragmentable part; a multiple of 8 (RFC 791, RFC 8200 4.5).</param>
    /// <param name="length">How many bytes the piece holds, or null for all from <paramref name="offset"/> on.</param>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative or not a multiple of 8, or the length is negative.</exception>
    public FrameBuilder FragmentPiece(int offset, int? length = null)
    {
        if (offset < 0 || offset % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A fragment starts at a non-negative multiple of 8 bytes.");
        }

        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A fragment's length cannot be negative.");
        }

        _layers.Add(new FragmentPieceLayer(offset, length));
        return this;
    }

    /// <summary>Adds a TCP header (20 bytes, or <paramref name="headerLength"/> to build a cut-short one).</summary>
    /// <param name="sourcePort">The source port.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <param name="headerLength">Fewer than 20 to cut the header short after the checksum is computed.</param>
    /// <param name="sequence">The sequence number.</param>
    /// <param name="flags">The flags byte (0x01 FIN, 0x02 SYN, 0x08 PSH, 0x10 ACK, ...).</param>
    /// <param name="window">The window size.</param>
    public FrameBuilder Tcp(ushort sourcePort, ushort destinationPort, int headerLength = 20, uint sequence = 0, byte flags = 0x01, ushort window = 0x2000)
    {
        _layers.Add(new TransportLayer(6, sourcePort, destinationPort, headerLength, sequence, flags, window));
        return this;
    }

    /// <summary>Adds a UDP header (8 bytes, or <paramref name="headerLength"/> to build a cut-short one).</summary>
    public FrameBuilder Udp(ushort sourcePort, ushort destinationPort, int headerLength = 8)
    {
        _layers.Add(new TransportLayer(17, sourcePort, destinationPort, headerLength, 0, 0, 0));
        return this;
    }

    /// <summary>Ends the frame with payload bytes; <paramref name="protocol"/> names them to the layer below.</summary>
    public FrameBuilder Payload(byte[] bytes, int protocol = 253)
    {
        _layers.Add(new PayloadLayer(protocol, bytes));
        return this;
    }

    /// <summary>
    /// Ends the frame with <paramref name="length"/> payload bytes of the repeating pattern <c>a</c> to <c>z</c>,
    /// readable in a capture; <paramref name="protocol"/> names them to the layer below.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public FrameBuilder Payload(int length, int protocol = 253)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return Payload(bytes, protocol);
    }

    /// <summary>Serialises the layers, innermost first, so each header knows what it carries.</summary>
    public byte[] Build()
    {
        byte[] inner = [];
        int innerProtocol = 59;
        ushort innerEtherType = 0;
        IPAddress? pseudoSource = null;
        IPAddress? pseudoDestination = null;
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            switch (_layers[i])
            {
                case PayloadLayer p:
                    inner = [.. p.Bytes, .. inner];
                    innerProtocol = p.Protocol;
                    break;
                case TransportLayer t:
                    (pseudoSource, pseudoDestination) = FindAddresses(i);
                    inner = BuildTransport(t, inner, pseudoSource, pseudoDestination);
                    innerProtocol = t.Protocol;
                    break;
                case FragmentPieceLayer piece:
                    inner = Piece(inner, piece);
                    break;
                case ExtensionLayer e:
                    var ext = new byte[2 + e.Body.Length];
                    ext[0] = (byte)innerProtocol;
                    ext[1] = e.Type == 51 ? (byte)((ext.Length / 4) - 2) : (byte)((ext.Length / 8) - 1);
                    e.Body.CopyTo(ext, 2);
                    inner = [.. ext, .. inner];
                    innerProtocol = e.Type;
                    break;
                case IPv6Layer v6:
                    var ip6 = new byte[40];
                    ip6[0] = 0x60;
                    BinaryPrimitives.WriteUInt16BigEndian(ip6.AsSpan(4), (ushort)inner.Length);
                    ip6[6] = (byte)innerProtocol;
                    ip6[7] = v6.HopLimit;
                    v6.Source.GetAddressBytes().CopyTo(ip6, 8);
                    v6.Destination.GetAddressBytes().CopyTo(ip6, 24);
                    inner = [.. ip6, .. inner];
                    innerProtocol = 41;
                    innerEtherType = EtherType.IPv6;
                    break;
                case IPv4Layer v4:
                    int headerLength = 20 + v4.Options.Length;
                    var ip4 = new byte[headerLength];
                    ip4[0] = (byte)(0x40 | (headerLength / 4));
                    BinaryPrimitives.WriteUInt16BigEndian(ip4.AsSpan(2), (ushort)(headerLength + inner.Length));
                    BinaryPrimitives.WriteUInt16BigEndian(ip4.AsSpan(4), v4.Identification);
                    int flags = (v4.DontFragment ? 0x4000 : 0) | (v4.MoreFragments ? 0x2000 : 0) | (v4.FragmentOffset & 0x1FFF);
                    BinaryPrimitives.WriteUInt16BigEndian(ip4.AsSpan(6), (ushort)flags);
                    ip4[8] = v4.Ttl;
                    ip4[9] = (byte)innerProtocol;
                    v4.Source.GetAddressBytes().CopyTo(ip4, 12);
                    v4.Destination.GetAddressBytes().CopyTo(ip4, 16);
                    v4.Options.CopyTo(ip4, 20);
                    BinaryPrimitives.WriteUInt16BigEndian(ip4.AsSpan(10), InternetChecksum(ip4));
                    inner = [.. ip4, .. inner];
                    innerProtocol = 4;
                    innerEtherType = EtherType.IPv4;
                    break;
                case TagLayer tag:
                    var tagBytes = new byte[4];
                    // The tag's TPID is written by the layer above it, as that layer's EtherType.
                    BinaryPrimitives.WriteUInt16BigEndian(tagBytes, tag.Tci);
                    BinaryPrimitives.WriteUInt16BigEndian(tagBytes.AsSpan(2), innerEtherType);
                    inner = [.. tagBytes, .. inner];
                    innerEtherType = tag.Tpid;
                    break;
                case EthernetLayer eth:
                    var header = new byte[14];
                    eth.Destination.CopyTo(header, 0);
                    eth.Source.CopyTo(header, 6);
                    BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), eth.EtherType ?? innerEtherType);
                    inner = [.. header, .. inner];
                    break;
            }
        }

        return inner;
    }

    // The pseudo-header's addresses: the nearest IP header's, with a Home Address option's address as source and
    // a Routing header's final destination as destination when the extension headers between them carry one.
    private (IPAddress? Source, IPAddress? Destination) FindAddresses(int below)
    {
        IPAddress? home = null;
        IPAddress? final = null;
        for (int i = below - 1; i >= 0; i--)
        {
            switch (_layers[i])
            {
                case ExtensionLayer e:
                    home ??= e.HomeAddress;
                    final ??= e.FinalDestination;
                    break;
                case IPv4Layer v4:
                    return (v4.Source, v4.Destination);
                case IPv6Layer v6:
                    return (home ?? v6.Source, final ?? v6.Destination);
            }
        }

        return (null, null);
    }

    private static byte[] Piece(byte[] whole, FragmentPieceLayer piece)
    {
        int length = piece.Length ?? (whole.Length - piece.Offset);
        if (piece.Offset + length > whole.Length || length < 0)
        {
            throw new ArgumentException(
                $"The fragment of {length} bytes from byte {piece.Offset} lies outside the {whole.Length}-byte fragmentable part.");
        }

        return whole[piece.Offset..(piece.Offset + length)];
    }

    private static byte[] BuildTransport(TransportLayer t, byte[] payload, IPAddress? source, IPAddress? destination)
    {
        int full = t.Protocol == 6 ? 20 : 8;
        var header = new byte[full];
        BinaryPrimitives.WriteUInt16BigEndian(header, t.SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), t.DestinationPort);
        if (t.Protocol == 6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), t.Sequence);
            header[12] = 0x50;
            header[13] = t.Flags;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), t.Window);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)(full + payload.Length));
        }

        byte[] segment = [.. header, .. payload];
        if (source is not null && destination is not null)
        {
            ushort checksum = TransportChecksum(source, destination, t.Protocol, segment);
            if (t.Protocol == 17 && checksum == 0)
            {
                checksum = 0xFFFF;
            }

            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(t.Protocol == 6 ? 16 : 6), checksum);
        }

        return t.HeaderLength >= full ? segment : segment[..t.HeaderLength];
    }

    private static ushort TransportChecksum(IPAddress source, IPAddress destination, int protocol, byte[] segment)
    {
        byte[] src = source.GetAddressBytes();
        byte[] dst = destination.GetAddressBytes();
        var pseudo = new byte[src.Length + dst.Length + 4];
        src.CopyTo(pseudo, 0);
        dst.CopyTo(pseudo, src.Length);
        pseudo[^3] = (byte)protocol;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(pseudo.Length - 2), (ushort)segment.Length);
        return InternetChecksum([.. pseudo, .. segment]);
    }

    /// <summary>The RFC 1071 ones'-complement checksum.</summary>
    public static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
