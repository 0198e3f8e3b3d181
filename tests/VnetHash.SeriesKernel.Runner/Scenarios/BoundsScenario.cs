using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Steering;
using VnetHash.Traffic;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The flow dissector's header bound (MAX_FLOW_DISSECT_HDRS) as the series kernel applies it: chains of 12 to 19
/// headers of each kind (IPv6 Destination Options, Routing, Hop-by-Hop first then Destination Options, Destination
/// Options ending in a Fragment header, VLAN tags, IP in IP, GRE) before TCP or UDP, injected through a bridged second
/// tap. Every frame's queue, hash and report must equal the core's <c>linux-tun</c> answer, and the result lines
/// show what the kernel did at each length.
/// </summary>
internal sealed class BoundsScenario : IScenario
{
    private const int QueueCount = 4;

    public string Name => "bounds";

    public void Run(Report report, ScenarioOptions options)
    {
        RssConfiguration configuration = Configurations.KernelNative(QueueCount);
        var core = new RssSteering(configuration);
        using BridgedTaps taps = BridgedTaps.Create("bd", QueueCount);
        var catcher = new QueueCatcher([.. taps.Destination.Queues.Select(q => q.Handle)], taps.Destination.VnetHeaderSize);
        using KernelSteering steering = KernelSteering.Start(taps.Destination, configuration);
        IEnumerable<(string Name, byte[] Frame)> frames = MixedFrameGenerator.HeaderBoundChains().Select(chain => ($"{chain.Kind}-{chain.Count}", chain.Frame))
            .Concat(MixedFrameGenerator.DissectorCorners());
        foreach ((string name, byte[] frame) in frames)
        {
            RssDecision expected = core.Decide(frame, FrameKind.Ethernet, QueueCount);
            taps.Send(frame);
            ResultLine line = report.Line(name).Add("core_queue", expected.Queue).Add("core_hash", expected.Hash.ToString());
            if (catcher.Catch(frame, RxCases.Timeout) is not { } delivered)
            {
                report.Result(line.Add("frame", Convert.ToHexString(frame)), "the frame was not delivered");
                continue;
            }

            KernelReport kernel = steering.ReadReport(delivered.Header);
            line.Add("kernel_queue", delivered.Queue).Add("kernel_hash", kernel.Hash.ToString());
            bool agreed = delivered.Queue == expected.Queue && kernel.Hash == expected.Hash;
            report.Check(agreed ? line : line.Add("frame", Convert.ToHexString(frame)), agreed, "the kernel and the core's linux-tun profile disagree");
        }
    }
}
