using System.Net;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Cli.Frames;

/// <summary>
/// The fields of one synthetic frame of a flow; <see cref="BuildEthernet"/> and <see cref="BuildIP"/> turn it into
/// bytes with valid checksums through the core's <see cref="FrameBuilder"/>.
/// </summary>
public sealed record FrameSpec
{
    // The MACs the tool's captures have always carried (the committed sample pins them).
    private static readonly byte[] SourceMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
    private static readonly byte[] DestinationMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

    /// <summary>Source address: 4 bytes for IPv4, 16 for IPv6.</summary>
    public required byte[] Source { get; init; }

    /// <summary>Destination address, the same length as <see cref="Source"/>.</summary>
    public required byte[] Destination { get; init; }

    /// <summary>IPv4 protocol or IPv6 final next header: 6 TCP, 17 UDP, anything else gets no transport header.</summary>
    public int Protocol { get; init; } = 6;

    public ushort SourcePort { get; init; }

    public ushort DestinationPort { get; init; }

    /// <summary>An 802.1Q tag with this VLAN ID, when set.</summary>
    public ushort? VlanId { get; init; }

    public FragmentPart Fragment { get; init; }

    /// <summary>IPv6 only: a Destination Options header with a Home Address option holding this address.</summary>
    public byte[]? HomeAddress { get; init; }

    /// <summary>IPv6 only: a type-2 Routing header holding this address (segments left 1).</summary>
    public byte[]? RoutingAddress { get; init; }

    /// <summary>Transport payload bytes (a repeating pattern).</summary>
    public int PayloadLength { get; init; }

    /// <summary>TCP sequence number, IPv4 identification and fragment identification.</summary>
    public uint Sequence { get; init; }

    public bool IsIPv6 => Source.Length == 16;

    /// <summary>An Ethernet frame (with an 802.1Q tag when <see cref="VlanId"/> is set).</summary>
    public byte[] BuildEthernet()
    {
        var builder = new FrameBuilder().Ethernet(DestinationMac, SourceMac);
        if (VlanId is ushort vlan)
        {
            builder.Vlan(vlan);
        }

        return AddPacket(builder).Build();
    }

    /// <summary>The IP packet alone, as a TUN device carries it.</summary>
    public byte[] BuildIP() => AddPacket(new FrameBuilder()).Build();

    private FrameBuilder AddPacket(FrameBuilder builder)
    {
        if (Source.Length is not (4 or 16) || Destination.Length != Source.Length)
        {
            throw new ArgumentException("Source and destination must both be 4 (IPv4) or 16 (IPv6) bytes.");
        }

        if (!IsIPv6 && (HomeAddress is not null || RoutingAddress is not null))
        {
            throw new ArgumentException("Home Address and type-2 Routing headers exist only in IPv6.");
        }

        // A fragmented datagram's transport segment (header and payload) is split at a multiple of 8 bytes: the
        // first fragment carries the piece before the split with more-fragments set, the later one the rest.
        int segment = Protocol switch { 6 => 20, 17 => 8, _ => 0 } + PayloadLength;
        if (Fragment != FragmentPart.None && segment < 16)
        {
            throw new ArgumentException("A fragmented datagram needs at least 16 transport bytes (header plus payload).");
        }

        int split = Math.Max(8, (segment / 2) & ~7);
        int offset = Fragment == FragmentPart.Later ? split : 0;
        bool more = Fragment == FragmentPart.First;
        if (IsIPv6)
        {
            // RFC 6275 6.3: the Home Address option follows the Routing header and precedes the Fragment header.
            builder.IPv6(Text(Source), Text(Destination));
            if (RoutingAddress is not null)
            {
                builder.Routing(Text(RoutingAddress));
            }

            if (HomeAddress is not null)
            {
                builder.DestinationOptions(Text(HomeAddress));
            }

            if (Fragment != FragmentPart.None)
            {
                builder.Fragment(offset / 8, more, Sequence);
            }
        }
        else
        {
            builder.IPv4(Text(Source), Text(Destination), more, offset / 8, dontFragment: Fragment == FragmentPart.None, identification: (ushort)Sequence);
        }

        if (Fragment != FragmentPart.None)
        {
            builder.FragmentPiece(offset, more ? split : null);
        }

        if (Protocol == 6)
        {
            builder.Tcp(SourcePort, DestinationPort, sequence: Sequence, flags: 0x18 /* PSH, ACK */, window: 65535);
        }
        else if (Protocol == 17)
        {
            builder.Udp(SourcePort, DestinationPort);
        }

        return builder.Payload(PayloadLength, Protocol);
    }

    private static string Text(byte[] address) => new IPAddress(address).ToString();
}
