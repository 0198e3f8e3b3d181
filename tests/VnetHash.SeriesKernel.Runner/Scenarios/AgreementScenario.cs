using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Steering;
using VnetHash.Traffic;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The <c>linux-tun</c> profile against the series kernel itself: thousands of mixed frames (VLAN and QinQ tags,
/// IPv6 extension headers with AH and Mobility, tunnels, PPPoE, cut-short transports, non-IP) injected through a
/// bridged second tap; for every frame the queue, hash and report the kernel delivered must equal the core's answer
/// (series-kernel-behaviour.md, "Where the series differs from the virtio spec").
/// </summary>
internal sealed class AgreementScenario : IScenario
{
    private const int QueueCount = 4;
    private const int ReportedMismatches = 20;

    public string Name => "agreement";

    public void Run(Report report, ScenarioOptions options)
    {
        var generator = new MixedFrameGenerator(options.Seed) { KernelDivergences = true };
        byte[][] frames = [.. Enumerable.Range(0, options.Frames).Select(_ => generator.Next())];
        RssConfiguration configuration = Configurations.KernelNative(QueueCount);
        var core = new RssSteering(configuration);
        var spec = new RssSteering(configuration.WithProfile(HashProfile.VirtioSpec));

        using BridgedTaps taps = BridgedTaps.Create("ag", QueueCount);
        var catcher = new QueueCatcher([.. taps.Destination.Queues.Select(q => q.Handle)], taps.Destination.VnetHeaderSize);
        using KernelSteering steering = KernelSteering.Start(taps.Destination, configuration);

        int agreed = 0, lost = 0, mismatched = 0, headerRules = 0, tagged = 0, divergent = 0;
        var reports = new int[10];
        for (int i = 0; i < frames.Length; i++)
        {
            byte[] frame = frames[i];
            RssDecision expected = core.Decide(frame, FrameKind.Ethernet, QueueCount);
            if (IsTagged(frame))
            {
                tagged++;
            }

            // Frames where the kernel's rules differ from the spec's: only linux-tun can agree with the kernel on them.
            if (spec.Decide(frame, FrameKind.Ethernet, QueueCount).Hash != expected.Hash)
            {
                divergent++;
            }

            taps.Send(frame);
            CaughtFrame? caught = catcher.Catch(frame, RxCases.Timeout);
            if (caught is not { } delivered)
            {
                lost++;
                if (lost + mismatched <= ReportedMismatches)
                {
                    report.Result(report.Line($"frame-{i}").Add("frame", Convert.ToHexString(frame)), "the frame was not delivered");
                }

                continue;
            }

            KernelReport kernel = steering.ReadReport(delivered.Header);
            reports[Math.Min((int)kernel.Hash.Report, reports.Length - 1)]++;
            if (delivered.Queue == expected.Queue && kernel.Hash == expected.Hash)
            {
                agreed++;
                if (HeaderRules.Check(delivered.Header, kernel.Hash, steering.Generation) is not null)
                {
                    headerRules++;
                }

                continue;
            }

            mismatched++;
            if (lost + mismatched <= ReportedMismatches)
            {
                report.Result(
                    report.Line($"frame-{i}")
                        .Add("frame", Convert.ToHexString(frame))
                        .Add("kernel_queue", delivered.Queue)
                        .Add("kernel_hash", kernel.Hash.ToString())
                        .Add("core_queue", expected.Queue)
                        .Add("core_hash", expected.Hash.ToString()),
                    "the kernel and the core's linux-tun profile disagree");
            }
        }

        ResultLine summary = report.Line("kernel-native-vs-linux-tun")
            .Add("generation", steering.Generation)
            .Add("frames", frames.Length)
            .Add("agreed", agreed)
            .Add("mismatched", mismatched)
            .Add("lost", lost)
            .Add("tagged", tagged)
            .Add("linux_tun_differs_from_virtio_spec", divergent)
            .Add("reports_by_type", reports)
            .Add("header_rule_violations", headerRules)
            .Add("strays", catcher.Strays);
        report.Check(
            summary,
            agreed == frames.Length && headerRules == 0 && frames.Length >= 1,
            $"{mismatched} frames disagree, {lost} were lost, {headerRules} headers break the kernel's header rules");
    }

    /// <summary>Whether the frame carries an 802.1Q or 802.1ad tag (for the coverage count).</summary>
    private static bool IsTagged(byte[] frame) => frame.Length >= 14 && (((frame[12] << 8) | frame[13]) is 0x8100 or 0x88A8);
}
