using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Explanation;

/// <summary>
/// Explains one frame's hash: the headers walked, why the type was chosen (through the core's own
/// <see cref="PacketHasher.Classify"/> asked one type at a time), the exact Toeplitz input
/// (<see cref="HashInput.Write"/>) and the queue. For people, not the per-packet path.
/// </summary>
internal static class HashExplainer
{
    private const int EthernetLength = 14;
    private const int MaxVlanTags = PacketDissector.MaxVlanTags;

    // The order of precedence the virtio specification gives ("Hash calculation for incoming packets").
    private static readonly HashReport[] IPv4Order = [HashReport.TcpV4, HashReport.UdpV4, HashReport.IPv4];
    private static readonly HashReport[] IPv6Order = [HashReport.TcpV6Ex, HashReport.UdpV6Ex, HashReport.IPv6Ex, HashReport.TcpV6, HashReport.UdpV6, HashReport.IPv6];

    public static HashExplanation Explain(RssSteering steering, ReadOnlySpan<byte> frame, FrameKind kind, int? queues)
    {
        PacketHasher hasher = steering.Hasher;
        PacketInfo info = hasher.Dissect(frame, kind);
        HashResult hash = hasher.Hash(frame, in info);
        var headers = new List<WalkedHeader>();
        string? notIP = Walk(frame, kind, in info, hasher.Profile, headers);
        TypeCheck[] types = Check(in info, hasher);
        Span<byte> buffer = stackalloc byte[HashInput.MaxLength];
        byte[] input = buffer[..HashInput.Write(frame, in info, hash.Report, hasher.Symmetric, buffer)].ToArray();
        return new HashExplanation
        {
            Kind = kind,
            FrameLength = frame.Length,
            Profile = hasher.Profile,
            Headers = headers,
            Info = info,
            Types = types,
            Hash = hash,
            Reason = Reason(in info, hash, types, notIP, hasher.Profile),
            Input = input,
            Tuple = hash.HasHash ? Tuple(frame, in info, hash.Report) : null,
            Tunnel = info.Tunnel,
            Queue = queues is int count ? Choose(steering, hash, count) : null,
        };
    }

    /// <summary>Why a frame got no hash or its type, in one sentence (what <c>hash</c> prints beside NONE).</summary>
    public static string Reason(RssSteering steering, ReadOnlySpan<byte> frame, FrameKind kind) => Explain(steering, frame, kind, null).Reason;

    private static QueueChoice Choose(RssSteering steering, HashResult hash, int queues)
    {
        RssConfiguration configuration = steering.Configuration;
        int? index = hash.HasHash ? (int)(hash.Value & (uint)configuration.IndirectionTableMask) : null;
        int entry = index is int i ? configuration.IndirectionTable[i] : configuration.UnclassifiedQueue;
        return new QueueChoice(queues, index, entry, steering.SelectQueue(hash, queues));
    }

    private static TypeCheck[] Check(in PacketInfo info, PacketHasher hasher)
    {
        HashReport[] order = info.Network switch
        {
            NetworkProtocol.IPv4 => IPv4Order,
            NetworkProtocol.IPv6 => IPv6Order,
            _ => [],
        };
        var checks = new TypeCheck[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            HashReport type = order[i];
            HashTypes bit = HashInput.TypeOf(type);

            // The core decides: asked with this one type enabled, does it choose it?
            bool applies = PacketHasher.Classify(in info, bit) == type;
            bool enabled = (hasher.EffectiveTypes & bit) != 0;
            string note = !applies ? WhyNot(in info, type)
                : enabled ? "applies and is enabled"
                : (hasher.Types & bit) != 0 ? "applies, but the linux-tun profile has no _EX types (the series implements six)"
                : "applies, but --types leaves it out";
            checks[i] = new TypeCheck(type, applies, enabled, note);
        }

        return checks;
    }

    private static string WhyNot(in PacketInfo info, HashReport type)
    {
        if (IsEx(type) && !info.HasExtensionHeaders)
        {
            return "no IPv6 extension headers";
        }

        (int protocol, string name, int header) = IsTcp(type) ? (6, "TCP", 20) : (17, "UDP", 8);
        if (info.Protocol != protocol)
        {
            return $"not {name}: protocol {ProtocolNames.IPProtocol(info.Protocol)}";
        }

        return info.IsFragment
            ? "a fragment: fragments never get a TCP or UDP type"
            : $"the {name} header is cut short (its {header} bytes must all be there)";
    }

    private static string Reason(in PacketInfo info, HashResult hash, TypeCheck[] types, string? notIP, HashProfile profile)
    {
        if (info.Network == NetworkProtocol.None && info.Tunnel != TunnelTypes.None)
        {
            return $"no hash: the outer header matches the enabled encapsulation type {TunnelTypesParser.Format(info.Tunnel)}, so the inner packet is hashed, and it is not an IP packet the rules hash (or it is cut short)";
        }

        if (info.Network == NetworkProtocol.None)
        {
            return $"no hash: not an IP packet the {RssOptions.FormatProfile(profile)} rules hash: {notIP ?? "they find no IPv4 or IPv6 header they accept"}";
        }

        // The types ahead of the chosen one that matter to the reader: those that apply but are off, and the
        // TCP or UDP type of a TCP or UDP packet that does not apply (a fragment, a header cut short).
        int protocol = info.Protocol;
        bool extensions = info.HasExtensionHeaders;
        string passed = string.Join("; ", types
            .TakeWhile(t => t.Type != hash.Report)
            .Where(t => t.Applies || (HasPorts(t.Type) && protocol == (IsTcp(t.Type) ? 6 : 17) && (extensions || !IsEx(t.Type))))
            .Select(t => $"{ReportNames.Name(t.Type)}: {t.Note}"));
        if (!hash.HasHash)
        {
            return $"no hash: no enabled type applies ({passed})";
        }

        string chosen = $"{ReportNames.Name(hash.Report)} is the first type in the specification's order that applies and is enabled";
        if (info.Tunnel != TunnelTypes.None)
        {
            chosen = $"the outer header matches the enabled encapsulation type {TunnelTypesParser.Format(info.Tunnel)}, so the inner packet is hashed: {chosen}";
        }

        return passed.Length == 0 ? chosen : $"{chosen} ({passed})";
    }

    private static bool HasPorts(HashReport type) => type is HashReport.TcpV4 or HashReport.UdpV4 or HashReport.TcpV6 or HashReport.UdpV6 or HashReport.TcpV6Ex or HashReport.UdpV6Ex;

    private static bool IsEx(HashReport type) => type is HashReport.IPv6Ex or HashReport.TcpV6Ex or HashReport.UdpV6Ex;

    private static bool IsTcp(HashReport type) => type is HashReport.TcpV4 or HashReport.TcpV6 or HashReport.TcpV6Ex;

    private static string Tuple(ReadOnlySpan<byte> frame, in PacketInfo info, HashReport report)
    {
        // The tuple as the hash reads it before any symmetric transformation (for linux-tun at its header bound, the
        // flow dissector's address union, which need not lie in the frame as it is).
        Span<byte> tuple = stackalloc byte[HashInput.MaxLength];
        HashInput.Write(frame, in info, report, SymmetricMode.None, tuple);
        int length = info.AddressLength;
        bool ex = IsEx(report);
        bool home = ex && info.HomeAddressOffset >= 0;
        bool routing = ex && info.RoutingAddressOffset >= 0;
        string text = $"{Address(tuple[..length])}{(home ? " (home address)" : string.Empty)} -> " +
            $"{Address(tuple.Slice(length, length))}{(routing ? " (type-2 routing address)" : string.Empty)}";
        if (!HasPorts(report))
        {
            return text;
        }

        if (info.PortsOffset < 0)
        {
            return $"{text}, ports 0 -> 0 (they cannot be read, so they count as zero)";
        }

        ReadOnlySpan<byte> ports = frame.Slice(info.PortsOffset, 4);
        return string.Create(CultureInfo.InvariantCulture, $"{text}, ports {BinaryPrimitives.ReadUInt16BigEndian(ports)} -> {BinaryPrimitives.ReadUInt16BigEndian(ports[2..])}");
    }

    /// <summary>Walks the link and network headers for the reader; returns why the frame is not IP, or null.</summary>
    private static string? Walk(ReadOnlySpan<byte> frame, FrameKind kind, in PacketInfo info, HashProfile profile, List<WalkedHeader> headers)
    {
        int offset = 0;
        int version;
        if (kind == FrameKind.Ethernet)
        {
            if (frame.Length < EthernetLength)
            {
                return $"the frame has {frame.Length} bytes, fewer than the {EthernetLength} of an Ethernet header";
            }

            ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
            headers.Add(new WalkedHeader(0, EthernetLength, "Ethernet", $"{Mac(frame[6..12])} -> {Mac(frame[..6])}, EtherType {ProtocolNames.EtherType(etherType)}"));
            offset = EthernetLength;
            for (int tags = 0; etherType is 0x8100 or 0x88A8; tags++)
            {
                if (tags == MaxVlanTags)
                {
                    return $"more than {MaxVlanTags} VLAN tags";
                }

                if (frame.Length < offset + 4)
                {
                    return "a VLAN tag is cut short";
                }

                ushort tci = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                headers.Add(new WalkedHeader(offset - 2, 4, "VLAN tag", string.Create(CultureInfo.InvariantCulture, $"VLAN {tci & 0x0FFF}, priority {tci >> 13}, EtherType {ProtocolNames.EtherType(etherType)} (tags are not hashed)")));
                offset += 4;
            }

            version = etherType switch { 0x0800 => 4, 0x86DD => 6, _ => 0 };
            if (version == 0 && info.Network == NetworkProtocol.None)
            {
                return $"EtherType {ProtocolNames.EtherType(etherType)} is not IPv4 (0x0800) or IPv6 (0x86dd)";
            }
        }
        else
        {
            if (frame.IsEmpty)
            {
                return "the packet is empty";
            }

            version = frame[0] >> 4;
            if (version is not (4 or 6))
            {
                return $"the IP version nibble is {version}; IPv4 has 4, IPv6 has 6";
            }
        }

        string? problem = version == 4 ? IPv4(frame, offset, headers) : version == 6 ? IPv6(frame, offset, in info, headers) : null;
        int ipAt = info.Network == NetworkProtocol.IPv4 ? info.AddressOffset - 12 : info.AddressOffset - 8;
        int outerEnd = offset + (version == 4 ? 20 : 40);
        if (info.Network != NetworkProtocol.None && ipAt != offset && info.AddressOffset < outerEnd)
        {
            // linux-tun only: the flow dissector stopped on a hand-over to a network protocol it did not read (a GRE
            // it does not follow, its header bound); it reports that protocol with the addresses it last read, here
            // the outer header's (or zeros), so no inner header is there to show.
            string from = info.AddressOffset < 0 ? "no IP header was read, so the addresses count as zero" : $"the addresses are those of the last IP header read, from offset {info.AddressOffset}";
            headers.Add(new WalkedHeader(Math.Min(offset, frame.Length), 0, "pending hand-over", $"the {RssOptions.FormatProfile(profile)} rules stopped on a hand-over to {info.Network} they did not follow: {from}"));
        }
        else if (info.Network != NetworkProtocol.None && ipAt != offset)
        {
            // The profile's rules went further than this walk: through a tunnel or an encapsulation to an inner header.
            string why = info.Tunnel != TunnelTypes.None
                ? $"the outer header matches the enabled encapsulation type {TunnelTypesParser.Format(info.Tunnel)} (--tunnel-types): the inner {info.Network} header at offset {ipAt} is hashed"
                : $"the {RssOptions.FormatProfile(profile)} rules go on to the {info.Network} header at offset {ipAt}";
            headers.Add(new WalkedHeader(offset, ipAt - offset, info.Tunnel != TunnelTypes.None ? "tunnel" : "encapsulation", why));
            _ = info.Network == NetworkProtocol.IPv4 ? IPv4(frame, ipAt, headers) : IPv6(frame, ipAt, in info, headers);
        }

        if (info.PortsOffset >= 0)
        {
            bool tcp = info.Transport == TransportProtocol.Tcp;
            int length = Math.Min(tcp ? 20 : 8, frame.Length - info.PortsOffset);
            ReadOnlySpan<byte> ports = frame.Slice(info.PortsOffset, 4);
            headers.Add(new WalkedHeader(info.PortsOffset, length, tcp ? "TCP" : "UDP", string.Create(CultureInfo.InvariantCulture, $"port {BinaryPrimitives.ReadUInt16BigEndian(ports)} -> {BinaryPrimitives.ReadUInt16BigEndian(ports[2..])}")));
        }

        return problem;
    }

    private static string? IPv4(ReadOnlySpan<byte> frame, int offset, List<WalkedHeader> headers)
    {
        int available = frame.Length - offset;
        if (available < 20)
        {
            return $"the IPv4 header is cut short: at least 20 bytes are needed, {available} are there";
        }

        if (frame[offset] >> 4 != 4)
        {
            return $"the EtherType says IPv4, but the version nibble is {frame[offset] >> 4}";
        }

        int headerLength = (frame[offset] & 0x0F) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
        int fragment = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]);
        string fragmentText = (fragment & 0x3FFF) == 0 ? "not a fragment"
            : string.Create(CultureInfo.InvariantCulture, $"a fragment (offset {(fragment & 0x1FFF) * 8}, more fragments {((fragment & 0x2000) != 0 ? "set" : "clear")})");
        headers.Add(new WalkedHeader(offset, Math.Min(Math.Max(headerLength, 20), available), "IPv4", string.Create(CultureInfo.InvariantCulture,
            $"{Address(frame.Slice(offset + 12, 4))} -> {Address(frame.Slice(offset + 16, 4))}, header {headerLength} bytes, total length {total}, protocol {ProtocolNames.IPProtocol(frame[offset + 9])}, {fragmentText}")));
        if (headerLength < 20)
        {
            return $"the IPv4 header length field says {headerLength} bytes, less than the minimum 20";
        }

        if (headerLength > available)
        {
            return $"the IPv4 header claims {headerLength} bytes, but {available} are there";
        }

        return total < headerLength ? $"the IPv4 total length {total} is less than its header's {headerLength} bytes" : null;
    }

    private static string? IPv6(ReadOnlySpan<byte> frame, int offset, in PacketInfo info, List<WalkedHeader> headers)
    {
        int available = frame.Length - offset;
        if (available < 40)
        {
            return $"the IPv6 header is cut short: 40 bytes are needed, {available} are there";
        }

        if (frame[offset] >> 4 != 6)
        {
            return $"the EtherType says IPv6, but the version nibble is {frame[offset] >> 4}";
        }

        int next = frame[offset + 6];
        headers.Add(new WalkedHeader(offset, 40, "IPv6", string.Create(CultureInfo.InvariantCulture,
            $"{Address(frame.Slice(offset + 8, 16))} -> {Address(frame.Slice(offset + 24, 16))}, payload length {BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 4)..])}, next header {ProtocolNames.IPProtocol(next)}")));

        // The extension headers, as far as they are there (the dissector bounds its own walk the same way).
        int at = offset + 40;
        for (int walked = 0; walked < PacketDissector.MaxExtensionHeaders && next is 0 or 43 or 44 or 51 or 60 or 135 && frame.Length - at >= 2; walked++)
        {
            int length = next == 51 ? (frame[at + 1] + 2) * 4 : next == 44 ? 8 : (frame[at + 1] + 1) * 8;
            string detail = next switch
            {
                44 when frame.Length - at >= 8 => string.Create(CultureInfo.InvariantCulture, $"offset {BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]) & ~7}, more fragments {((frame[at + 3] & 1) != 0 ? "set" : "clear")}: the packet is a fragment"),
                43 when info.RoutingAddressOffset == at + 8 => $"type 2, address {Address(frame.Slice(at + 8, 16))}",
                60 when info.HomeAddressOffset > at && info.HomeAddressOffset < at + length => $"Home Address {Address(frame.Slice(info.HomeAddressOffset, 16))}",
                _ => $"{length} bytes",
            };
            headers.Add(new WalkedHeader(at, Math.Min(length, frame.Length - at), ProtocolNames.IPProtocolName(next)!, $"{detail}, next header {ProtocolNames.IPProtocol(frame[at])}"));
            if (next == 44 || length > frame.Length - at)
            {
                break;
            }

            next = frame[at];
            at += length;
        }

        return null;
    }

    private static string Address(ReadOnlySpan<byte> bytes) => new IPAddress(bytes).ToString();

    private static string Mac(ReadOnlySpan<byte> bytes) => string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
