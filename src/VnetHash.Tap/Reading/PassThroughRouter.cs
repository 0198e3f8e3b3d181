using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>Each kernel queue feeds the receive queue of its kernel index, and the header is left as the kernel wrote it.</summary>
internal sealed class PassThroughRouter : IFrameRouter
{
    internal static readonly PassThroughRouter Instance = new();

    public int Route(Span<byte> packet, int headerSize, int kernelQueue, out HashReport report)
    {
        report = TapFrame.ReadHash(packet[..headerSize]).Report;
        return kernelQueue;
    }
}
