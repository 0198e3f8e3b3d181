namespace VnetHash.Cli.Captures;

/// <summary>
/// A packet read for an analysis (<see cref="CaptureReader.ReadBatches"/>): where its bytes are in the batch's bytes,
/// and what an analysis needs besides them.
/// </summary>
internal struct BufferedPacket
{
    public int Start;
    public int Length;
    public int OriginalLength;
    public LinkType LinkType;
}

/// <summary>Takes a batch of packets (<see cref="CaptureReader.ReadBatches"/>), each a slice of <paramref name="bytes"/>, valid during the call.</summary>
internal delegate void PacketBatchHandler(ReadOnlySpan<byte> bytes, ReadOnlySpan<BufferedPacket> packets);
