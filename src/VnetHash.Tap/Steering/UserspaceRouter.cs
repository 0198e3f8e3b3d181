using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>Hashes and steers each frame in this process and writes the report into its header, as the series' kernel would.</summary>
internal sealed class UserspaceRouter(RssSteering steering, FrameKind kind, int queueCount) : IFrameRouter
{
    private RssSteering _steering = steering;

    internal RssSteering Steering
    {
        get => Volatile.Read(ref _steering);
        set => Volatile.Write(ref _steering, value);
    }

    public int Route(Span<byte> packet, int headerSize, int kernelQueue, out HashReport report)
    {
        // One read of the field: a frame is decided wholly by the old or wholly by the new configuration.
        RssDecision decision = Steering.Decide(packet[headerSize..], kind, queueCount);
        HashReportWriter.Write(packet[..headerSize], decision.Hash);
        report = headerSize >= HashReportWriter.HeaderSize ? decision.Hash.Report : HashReport.None;
        return decision.Queue;
    }
}
