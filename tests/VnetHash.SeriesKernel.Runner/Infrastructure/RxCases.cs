using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>
/// The seven tun_vnet_hash rx cases (kernel-series.md §8): each frame is sent, found on its queue, and its queue,
/// hash, report and header are compared with the vector and with the core's <c>linux-tun</c> answer.
/// </summary>
internal static class RxCases
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static void Run(Report report, string prefix, IReadOnlyList<SelftestVector> vectors, KernelSteering steering, QueueCatcher catcher, Action<byte[]> send, int queues)
    {
        var core = new RssSteering(steering.Configuration!);
        foreach (SelftestVector vector in vectors)
        {
            send(vector.Frame);
            CaughtFrame? caught = catcher.Catch(vector.Frame, Timeout);
            RssDecision expected = core.Decide(vector.Frame, FrameKind.Ethernet, queues);
            ResultLine line = report.Line($"{prefix}{vector.Variant}")
                .Add("expected_queue", vector.Queue)
                .Add("expected_hash", $"{vector.Hash:x8}")
                .Add("expected_report", (int)vector.Report);
            if (caught is not { } frame)
            {
                report.Result(line, $"the frame did not arrive on any of the {queues} queues within {Timeout.TotalSeconds} s");
                continue;
            }

            KernelReport kernel = steering.ReadReport(frame.Header);
            line.Add("queue", frame.Queue).Add("hash", $"{kernel.Hash.Value:x8}").Add("report", (int)kernel.Hash.Report).Add("source", kernel.Source);
            string? failure =
                frame.Queue != vector.Queue ? $"queue {frame.Queue}, the selftest expects {vector.Queue}"
                : kernel.Hash != new HashResult(vector.Report == HashReport.None ? 0 : vector.Hash, vector.Report) ? $"hash {kernel.Hash}, the selftest expects {vector.Hash:x8} {vector.Report}"
                : expected.Queue != frame.Queue || expected.Hash != kernel.Hash ? $"the core's linux-tun answer is queue {expected.Queue} {expected.Hash}"
                : kernel.Source != (vector.Report == HashReport.None ? HashSource.None : HashSource.Toeplitz) ? $"labelled {kernel.Source}"
                : HeaderRules.Check(frame.Header, kernel.Hash, steering.Generation);
            report.Result(line, failure);
        }
    }

    /// <summary>The generation the steering uses, for header rules.</summary>
    public static KernelHashGeneration Generation(KernelSteering steering) => steering.Generation;
}
