using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>
/// The kernel chose the queue (a steering program did); this writes the hash report the series' kernel would
/// have written, computed from the frame with the same configuration.
/// </summary>
internal sealed class KernelQueueReportRouter(RssSteering steering, FrameKind kind) : IFrameRouter
{
    private RssSteering _steering = steering;

    internal RssSteering Steering
    {
        get => Volatile.Read(ref _steering);
        set => Volatile.Write(ref _steering, value);
    }

    public int Route(Span<byte> packet, int headerSize, int pump, out HashReport report)
    {
        HashResult hash = Steering.Hasher.Hash(packet[headerSize..], kind);
        HashReportWriter.Write(packet[..headerSize], hash);
        report = headerSize >= HashReportWriter.HeaderSize ? hash.Report : HashReport.None;
        return pump;
    }
}
