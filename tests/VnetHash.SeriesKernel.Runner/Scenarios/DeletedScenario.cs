using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The hash ioctls after the device is deleted fail with EBADFD, surfaced as <see cref="TapError.DeviceGone"/>
/// (kernel-series.md §2.6, §8 tun_deleted); a queue detached with <c>TUNSETQUEUE</c> still accepts them
/// (series-kernel-behaviour.md, "Errors").
/// </summary>
internal sealed class DeletedScenario : IScenario
{
    private const int Ebadfd = 77;

    public string Name => "deleted";

    public void Run(Report report, ScenarioOptions options)
    {
        Shell.DisableIPv6ByDefault();
        RssConfiguration configuration = Configurations.KernelNative(2);
        using (TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = "del0", QueueCount = 2, BringUp = false }))
        {
            using KernelSteering steering = KernelSteering.Start(device, configuration);
            Shell.DeleteLink(device.Name);

            KernelHashSupport probed = KernelHashProbe.Probe(device.Queues[0]);
            report.Check(
                report.Line("probe-after-delete").Add("generation", probed.Generation).Add("detail", probed.Detail),
                probed.Generation == steering.Generation,
                $"the capability call no longer identifies {steering.Generation} on the deleted device's fd");

            ExpectGone(report, "update-after-delete", () => steering.Update(configuration));
            ExpectGone(report, "stop-after-delete", steering.Stop);
            ExpectGone(report, "start-after-delete", () => KernelSteering.Start(device, configuration).Dispose());
            ExpectGone(report, "report-only-after-delete", () => KernelSteering.StartReportOnly(device, configuration.Types).Dispose());

            ResultLine disposed = report.Line("dispose-after-delete");
            steering.Dispose();
            report.Result(disposed, null);
        }

        using (TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = "det0", QueueCount = 3, BringUp = false }))
        {
            TapQueue detached = device.Queues[2];
            device.DetachQueue(detached);
            ResultLine line = report.Line("detached-queue-accepts").Add("attached_queues", device.AttachedQueueCount);
            using KernelSteering steering = KernelSteering.Start(detached.Handle, device.Name, device.AttachedQueueCount, configuration);
            steering.Update(Configurations.KernelNative(2, VnetHash.Hashing.HashTypes.IPv4 | VnetHash.Hashing.HashTypes.TcpV4));
            steering.Stop();
            report.Result(line.Add("generation", steering.Generation), null);
        }
    }

    private static void ExpectGone(Report report, string name, Action action)
    {
        ResultLine line = report.Line(name);
        try
        {
            action();
            report.Result(line, "succeeded on a deleted device");
        }
        catch (TapException error)
        {
            line.Add("error", error.Error).Add("errno", error.Errno).Add("message", error.Message);
            report.Check(line, error.Error == TapError.DeviceGone && error.Errno == Ebadfd, $"{error.Error} errno {error.Errno}, DeviceGone with EBADFD expected");
        }
    }
}
