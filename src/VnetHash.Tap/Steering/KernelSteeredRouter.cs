using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>
/// The kernel chose the queue (the steering program, or the series' own RSS). The frame is delivered on that queue
/// only if a recent configuration names it: the router computes the decision with the core (eBPF: and writes the
/// report the series' kernel would have written) or reads the kernel's report (kernel backend: and looks its queue
/// up), and drops the frame as misrouted otherwise.
/// </summary>
internal sealed class KernelSteeredRouter(RecentSteerings steerings, FrameKind kind, int queueCount, bool kernelWritesReport) : IFrameRouter
{
    /// <summary>
    /// Puts <paramref name="configuration"/> in force with <paramref name="inKernel"/>; the router learns it first, so
    /// frames it steers are never taken for misrouted ones, and forgets it again when the kernel refuses it.
    /// </summary>
    internal void Apply(RssConfiguration configuration, Action<RssConfiguration> inKernel)
    {
        RssSteering[] before = steerings.Push(new RssSteering(configuration));
        try
        {
            inKernel(configuration);
        }
        catch
        {
            steerings.Restore(before);
            throw;
        }
    }

    public int Route(Span<byte> packet, int headerSize, int kernelQueue, out HashReport report)
    {
        // One read of the array: the frame is checked against one set of configurations, newest first.
        RssSteering[] recent = steerings.All;
        ReadOnlySpan<byte> frame = packet[headerSize..];
        if (kernelWritesReport)
        {
            HashResult written = TapFrame.ReadHash(packet[..headerSize]);
            report = written.Report;
            foreach (RssSteering steering in recent)
            {
                if (steering.SelectQueue(written, queueCount) == kernelQueue)
                {
                    return kernelQueue;
                }
            }

            return -1;
        }

        foreach (RssSteering steering in recent)
        {
            RssDecision decision = steering.Decide(frame, kind, queueCount);
            if (decision.Queue == kernelQueue)
            {
                HashReportWriter.Write(packet[..headerSize], decision.Hash);
                report = headerSize >= HashReportWriter.HeaderSize ? decision.Hash.Report : HashReport.None;
                return kernelQueue;
            }
        }

        report = HashReport.None;
        return -1;
    }
}
