using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The series' own tun_vnet_hash rx selftest through the kernel-native backend (kernel-series.md §8.1, §8.2): 3 queues,
/// table {3, 4}, unclassified queue 5, the Microsoft key, frames injected through a second tap bridged to the tested
/// one. Then a live reconfiguration (table swapped) and the teardown (every frame NONE/0 afterwards).
/// </summary>
internal sealed class SelftestRxScenario : IScenario
{
    public string Name => "selftest-rx";

    public void Run(Report report, ScenarioOptions options)
    {
        IReadOnlyList<SelftestVector> vectors = SelftestVector.Load(options.VectorsPath);
        int queues = vectors[0].Queues;
        using BridgedTaps taps = BridgedTaps.Create("rx", queues);
        var catcher = new QueueCatcher([.. taps.Destination.Queues.Select(q => q.Handle)], taps.Destination.VnetHeaderSize);
        using KernelSteering steering = KernelSteering.Start(taps.Destination, vectors[0].Configuration);
        RxCases.Run(report, string.Empty, vectors, steering, catcher, frame => taps.Send(frame), queues);

        // Live reconfiguration: the table reversed sends every hashed frame to the other queue.
        RssConfiguration swapped = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [4, 3], 5, HashProfile.LinuxTun);
        steering.Update(swapped);
        var core = new RssSteering(swapped);
        foreach (SelftestVector vector in vectors)
        {
            taps.Send(vector.Frame);
            CaughtFrame? caught = catcher.Catch(vector.Frame, RxCases.Timeout);
            RssDecision expected = core.Decide(vector.Frame, FrameKind.Ethernet, queues);
            ResultLine line = report.Line($"reconfigured-{vector.Variant}").Add("expected_queue", expected.Queue);
            if (caught is not { } frame)
            {
                report.Result(line, "the frame did not arrive after the reconfiguration");
                continue;
            }

            KernelReport kernel = steering.ReadReport(frame.Header);
            line.Add("queue", frame.Queue).Add("hash", $"{kernel.Hash.Value:x8}").Add("report", (int)kernel.Hash.Report);
            report.Check(line, frame.Queue == expected.Queue && kernel.Hash == expected.Hash, $"queue {frame.Queue} {kernel.Hash}, the new configuration gives queue {expected.Queue} {expected.Hash}");
        }

        // Teardown: v12 TUNSETVNETREPORTINGAUTOMQ 0, v5 TUNSETVNETHASH flags 0; no frame carries a report afterwards.
        steering.Stop();
        foreach (SelftestVector vector in vectors)
        {
            taps.Send(vector.Frame);
            CaughtFrame? caught = catcher.Catch(vector.Frame, RxCases.Timeout);
            ResultLine line = report.Line($"stopped-{vector.Variant}");
            if (caught is not { } frame)
            {
                report.Result(line, "the frame did not arrive after the teardown");
                continue;
            }

            KernelReport kernel = KernelSteering.ReadReport(frame.Header, KernelSteeringMode.Rss);
            line.Add("queue", frame.Queue).Add("hash", $"{kernel.Hash.Value:x8}").Add("report", (int)kernel.Hash.Report);
            report.Check(line, kernel.Hash == HashResult.None && kernel.Source == HashSource.None, $"{kernel.Hash} after the teardown, NONE/0 expected");
        }

        report.Check(report.Line("no-strays").Add("strays", catcher.Strays), catcher.Strays == 0, $"{catcher.Strays} frames arrived that were not sent");
    }
}
