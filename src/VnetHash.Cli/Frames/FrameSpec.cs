namespace VnetHash.Cli.Frames;

/// <summary>The fields of one synthetic frame; <see cref="FrameBuilder"/> turns it into bytes with valid checksums.</summary>
public sealed record FrameSpec
{
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
}
