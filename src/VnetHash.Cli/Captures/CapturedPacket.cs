namespace VnetHash.Cli.Captures;

/// <summary>
/// One packet as read from a capture. <see cref="Data"/> points into the reader's reusable buffer and is
/// valid only until the next read, which is what keeps reading allocation-free.
/// </summary>
public readonly ref struct CapturedPacket
{
    public CapturedPacket(ReadOnlySpan<byte> data, int originalLength, LinkType linkType, int interfaceId, long timestampNanoseconds, long offset)
    {
        Data = data;
        OriginalLength = originalLength;
        LinkType = linkType;
        InterfaceId = interfaceId;
        TimestampNanoseconds = timestampNanoseconds;
        Offset = offset;
    }

    /// <summary>The captured bytes (possibly fewer than were on the wire).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The length of the packet on the wire.</summary>
    public int OriginalLength { get; }

    /// <summary>The link type of the interface the packet was captured on.</summary>
    public LinkType LinkType { get; }

    /// <summary>The interface index within its pcapng section; 0 for classic pcap.</summary>
    public int InterfaceId { get; }

    /// <summary>Capture time in nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>The byte offset of the record or block that held the packet.</summary>
    public long Offset { get; }
}
