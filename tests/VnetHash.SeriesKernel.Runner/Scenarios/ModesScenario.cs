using VnetHash.Hashing;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// Where the kernel's value is not a Toeplitz hash (series-kernel-behaviour.md, "Other behaviour worth knowing"):
/// reporting without RSS reports the queue index, labelled <see cref="HashSource.KernelQueueIndex"/>; a one-queue
/// device never runs queue selection, so RSS is refused and report-only frames carry nothing.
/// </summary>
internal sealed class ModesScenario : IScenario
{
    public string Name => "modes";

    public void Run(Report report, ScenarioOptions options)
    {
        IReadOnlyList<SelftestVector> vectors = SelftestVector.Load(options.VectorsPath);
        using (BridgedTaps taps = BridgedTaps.Create("ro", 3))
        {
            var catcher = new QueueCatcher([.. taps.Destination.Queues.Select(q => q.Handle)], taps.Destination.VnetHeaderSize);
            using KernelSteering steering = KernelSteering.StartReportOnly(taps.Destination, HashTypes.AllNonEx);
            foreach (SelftestVector vector in vectors)
            {
                taps.Send(vector.Frame);
                CaughtFrame? caught = catcher.Catch(vector.Frame, RxCases.Timeout);
                ResultLine line = report.Line($"report-only-{vector.Variant}");
                if (caught is not { } frame)
                {
                    report.Result(line, "the frame did not arrive");
                    continue;
                }

                KernelReport kernel = steering.ReadReport(frame.Header);
                line.Add("queue", frame.Queue).Add("value", kernel.Hash.Value).Add("report", (int)kernel.Hash.Report).Add("source", kernel.Source);
                string? failure = vector.Report == HashReport.None
                    ? kernel.Source == HashSource.None && kernel.Hash.Report == HashReport.None && kernel.ToeplitzHash is null ? null : $"{kernel.Hash} labelled {kernel.Source}, NONE expected"
                    : kernel.Hash.Report != vector.Report ? $"report {kernel.Hash.Report}, {vector.Report} expected"
                    : kernel.Source != HashSource.KernelQueueIndex || kernel.ToeplitzHash is not null ? $"labelled {kernel.Source}: a report-only value must not pass for a Toeplitz hash"
                    : kernel.Hash.Value != (uint)frame.Queue ? $"value {kernel.Hash.Value} on queue {frame.Queue}: forwarded frames carry the queue index"
                    : null;
                report.Result(line, failure);
            }
        }

        using (BridgedTaps single = BridgedTaps.Create("one", 1))
        {
            ResultLine refused = report.Line("one-queue-rss-refused");
            try
            {
                using KernelSteering steering = KernelSteering.Start(single.Destination, vectors[0].Configuration);
                report.Result(refused, "RSS was started on one queue, where the kernel neither steers nor reports");
            }
            catch (TapException error)
            {
                refused.Add("message", error.Message);
                report.Check(refused, error.Error == TapError.NotSupported && error.Message.Contains("queue selection", StringComparison.Ordinal), "not a NotSupported error naming queue selection");
            }

            var catcher = new QueueCatcher([.. single.Destination.Queues.Select(q => q.Handle)], single.Destination.VnetHeaderSize);
            using KernelSteering reportOnly = KernelSteering.StartReportOnly(single.Destination, HashTypes.AllNonEx);
            foreach (SelftestVector vector in vectors)
            {
                single.Send(vector.Frame);
                CaughtFrame? caught = catcher.Catch(vector.Frame, RxCases.Timeout);
                ResultLine line = report.Line($"one-queue-{vector.Variant}");
                if (caught is not { } frame)
                {
                    report.Result(line, "the frame did not arrive");
                    continue;
                }

                KernelReport kernel = reportOnly.ReadReport(frame.Header);
                line.Add("value", kernel.Hash.Value).Add("report", (int)kernel.Hash.Report).Add("source", kernel.Source);
                report.Check(line, kernel.Source == HashSource.None && kernel.Hash == HashResult.None, $"{kernel.Hash}: with one queue the kernel reports nothing");
            }
        }
    }
}
