using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The series' tun selftest orderings (kernel-series.md §8.1 FIXTURE(tun): delete/detach/close/reattach) on a
/// two-queue tap with kernel-native RSS configured: each step gives the selftest's answer, the configuration survives
/// detach and reattach (it is per device, §2.6), and after the delete the hash ioctls fail with DeviceGone.
/// </summary>
internal sealed class OrderingsScenario : IScenario
{
    public string Name => "orderings";

    public void Run(Report report, ScenarioOptions options)
    {
        IReadOnlyList<SelftestVector> vectors = SelftestVector.Load(options.VectorsPath);
        RssConfiguration configuration = Configurations.KernelNative(2);
        string[][] orderings =
        [
            ["delete", "detach", "close"],
            ["detach", "delete", "close"],
            ["detach", "close", "delete"],
            ["detach", "reattach", "delete", "close"],
            ["detach", "reattach", "close", "delete"],
        ];
        int index = 0;
        foreach (string[] steps in orderings)
        {
            string name = string.Join('_', steps.Where(s => s != "detach" || !steps.Contains("reattach")));
            using BridgedTaps taps = BridgedTaps.Create($"o{index++}", 2);
            TapDevice device = taps.Destination;
            TapQueue first = device.Queues[0];
            using KernelSteering steering = KernelSteering.Start(device, configuration);
            bool deleted = false;
            foreach (string step in steps)
            {
                ResultLine line = report.Line($"{name}-{step}");
                switch (step)
                {
                    case "delete":
                        Shell.DeleteLink(device.Name);
                        deleted = true;
                        report.Check(line, !Shell.HasLink(device.Name), "the link is still there");
                        break;
                    case "detach" when deleted:
                        // The selftest's delete_detach_close: TUNSETQUEUE on a deleted device answers EINVAL.
                        try
                        {
                            device.DetachQueue(first);
                            report.Result(line, "detaching from a deleted device succeeded");
                        }
                        catch (TapException error)
                        {
                            report.Check(line.Add("errno", error.Errno), error.Errno == 22, $"errno {error.Errno}, EINVAL expected");
                        }

                        break;
                    case "detach":
                        device.DetachQueue(first);
                        steering.Update(configuration);
                        report.Result(line.Add("attached_queues", device.AttachedQueueCount), null);
                        break;
                    case "reattach":
                        device.AttachQueue(first);
                        CheckTraffic(report, line, taps, steering, vectors);
                        break;
                    case "close":
                        first.Dispose();
                        report.Result(line, null);
                        break;
                    default:
                        throw new InvalidOperationException($"unknown step {step}");
                }
            }

            ResultLine after = report.Line($"{name}-hash-ioctl-after-delete");
            try
            {
                steering.Update(configuration);
                report.Result(after, "the hash ioctl succeeded after the device was deleted");
            }
            catch (TapException error)
            {
                report.Check(after.Add("error", error.Error).Add("errno", error.Errno), error.Error == TapError.DeviceGone && error.Errno == 77, $"{error.Error} errno {error.Errno}, DeviceGone with EBADFD expected");
            }
        }
    }

    private static void CheckTraffic(Report report, ResultLine line, BridgedTaps taps, KernelSteering steering, IReadOnlyList<SelftestVector> vectors)
    {
        IReadOnlyList<TapQueue> queues = taps.Destination.Queues;
        var catcher = new QueueCatcher([.. queues.Select(q => q.Handle)], taps.Destination.VnetHeaderSize);
        var core = new RssSteering(steering.Configuration!);
        int agreed = 0;
        string? failure = null;
        foreach (SelftestVector vector in vectors)
        {
            taps.Send(vector.Frame);
            RssDecision expected = core.Decide(vector.Frame, FrameKind.Ethernet, queues.Count);
            CaughtFrame? caught = catcher.Catch(vector.Frame, RxCases.Timeout);
            KernelReport kernel = caught is { } frame ? steering.ReadReport(frame.Header) : default;
            if (caught is { } found && found.Queue == expected.Queue && kernel.Hash == expected.Hash)
            {
                agreed++;
            }
            else
            {
                failure ??= caught is null ? $"{vector.Variant} did not arrive" : $"{vector.Variant}: queue {caught.Value.Queue} {kernel.Hash}, expected {expected.Queue} {expected.Hash}";
            }
        }

        report.Result(line.Add("attached_queues", queues.Count).Add("frames_agreeing", agreed), failure);
    }
}
