using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace VnetHash.Cli.Captures;

/// <summary>Maps a link type and packet to the start of the Ethernet frame or IP packet inside it.</summary>
public static class LinkLayer
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const int SllHeaderLength = 16;
    private const int Sll2HeaderLength = 20;
    private const int LoopbackHeaderLength = 4;

    /// <summary>Locates the frame in <paramref name="packet"/> captured with <paramref name="linkType"/>.</summary>
    /// <remarks>
    /// Inlined, and Ethernet, the link type of nearly every capture, tested before the others (a call): in the
    /// per-packet loop the switch over every link type took a chain of compares for each packet.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FrameLocation Locate(LinkType linkType, ReadOnlySpan<byte> packet) =>
        linkType == LinkType.Ethernet ? new FrameLocation(0, PayloadKind.Ethernet) : LocateOther(linkType, packet);

    private static FrameLocation LocateOther(LinkType linkType, ReadOnlySpan<byte> packet) => linkType switch
    {
        LinkType.Raw or LinkType.RawBsd12 or LinkType.RawOpenBsd14 or LinkType.IPv4 or LinkType.IPv6 => new FrameLocation(0, PayloadKind.IP),
        LinkType.LinuxSll => Cooked(packet, SllHeaderLength, protocolOffset: 14),
        LinkType.LinuxSll2 => Cooked(packet, Sll2HeaderLength, protocolOffset: 0),
        LinkType.Null => Loopback(packet, networkOrderOnly: false),
        LinkType.Loop => Loopback(packet, networkOrderOnly: true),
        _ => new FrameLocation(0, PayloadKind.UnsupportedLinkType),
    };

    /// <summary>Whether this tool decodes <paramref name="linkType"/>.</summary>
    public static bool IsSupported(LinkType linkType) => Enum.IsDefined(linkType);

    private static FrameLocation Cooked(ReadOnlySpan<byte> packet, int headerLength, int protocolOffset)
    {
        if (packet.Length < headerLength)
        {
            return new FrameLocation(packet.Length, PayloadKind.NonIP);
        }

        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(packet[protocolOffset..]);
        return new FrameLocation(headerLength, protocol is EtherTypeIPv4 or EtherTypeIPv6 ? PayloadKind.IP : PayloadKind.NonIP);
    }

    // The family is AF_INET (2) everywhere, but AF_INET6 differs between systems: 10 Linux, 24 NetBSD and
    // OpenBSD, 28 FreeBSD, 30 Darwin. NULL stores it in the capturing host's byte order, LOOP in network order.
    private static FrameLocation Loopback(ReadOnlySpan<byte> packet, bool networkOrderOnly)
    {
        if (packet.Length < LoopbackHeaderLength)
        {
            return new FrameLocation(packet.Length, PayloadKind.NonIP);
        }

        uint big = BinaryPrimitives.ReadUInt32BigEndian(packet);
        uint little = BinaryPrimitives.ReadUInt32LittleEndian(packet);
        bool ip = IsIPFamily(big) || (!networkOrderOnly && IsIPFamily(little));
        return new FrameLocation(LoopbackHeaderLength, ip ? PayloadKind.IP : PayloadKind.NonIP);
    }

    private static bool IsIPFamily(uint family) => family is 2 or 10 or 24 or 28 or 30;
}
