using System.Globalization;
using System.Runtime.InteropServices;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Handles;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Steering;
using VnetHash.Traffic;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The seven rx cases on a macvtap (v12 only: the v12 series brings the hashing ioctls to tap.c, kernel-series.md §8.1
/// tap.c): three <c>/dev/tapN</c> queues, frames sent into a veth whose peer carries the macvtap, so the frame is
/// received (and its tags parsed) before macvtap picks the queue.
/// </summary>
internal sealed unsafe class MacvtapScenario : IScenario
{
    private const nuint TunSetVnetHdrSz = 0x400454d8;
    private const nuint TunSetVnetLe = 0x400454dc;
    private const string Macvtap = "mvt0";

    public string Name => "macvtap";

    public void Run(Report report, ScenarioOptions options)
    {
        KernelHashSupport support = KernelHashProbe.ProbeUnattached();
        if (support.Generation != KernelHashGeneration.V12)
        {
            report.Result(report.Line("generation").Add("generation", support.Generation), "macvtap needs the v12 kernel: the v5 series' tap part does not apply to this kernel, so it has no macvtap hashing");
            return;
        }

        IReadOnlyList<SelftestVector> vectors = SelftestVector.Load(options.VectorsPath);
        int queues = vectors[0].Queues;
        Shell.DisableIPv6ByDefault();
        Shell.Run("ip", "link", "add", "mvA", "type", "veth", "peer", "name", "mvB");
        var fds = new List<FileDescriptorHandle>();
        try
        {
            Shell.Run("ip", "link", "add", "link", "mvB", "name", Macvtap, "address", "02:00:00:00:00:01", "type", "macvtap", "mode", "bridge");
            foreach (string name in new[] { "mvA", "mvB", Macvtap })
            {
                Shell.DisableIPv6(name);
                Shell.Run("ip", "link", "set", name, "up");
            }

            int index = int.Parse(File.ReadAllText($"/sys/class/net/{Macvtap}/ifindex").Trim(), CultureInfo.InvariantCulture);
            for (int i = 0; i < queues; i++)
            {
                fds.Add(OpenQueue($"/dev/tap{index}"));
            }

            int sender = int.Parse(File.ReadAllText("/sys/class/net/mvA/ifindex").Trim(), CultureInfo.InvariantCulture);
            using PacketSocket socket = PacketSocket.OpenRaw(sender);
            var catcher = new QueueCatcher(fds, 20);
            using KernelSteering steering = KernelSteering.Start(fds[0], Macvtap, fds.Count, vectors[0].Configuration);
            report.Result(report.Line("configured").Add("generation", steering.Generation).Add("queues", fds.Count), null);
            RxCases.Run(report, "macvtap-", vectors, steering, catcher, frame => socket.SendFrame(frame), queues);
            steering.Stop();
        }
        finally
        {
            foreach (FileDescriptorHandle fd in fds)
            {
                fd.Dispose();
            }

            _ = Shell.TryRun("ip", "link", "del", "mvA");
        }
    }

    private static FileDescriptorHandle OpenQueue(string path)
    {
        int fd = Native.Open(path, Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var handle = new FileDescriptorHandle(fd, ownsHandle: true);
        int size = 20;
        int littleEndian = 1;
        if (Native.Ioctl(fd, TunSetVnetHdrSz, &size) < 0 || Native.Ioctl(fd, TunSetVnetLe, &littleEndian) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"setting the 20-byte little-endian vnet header on {path} failed: errno {errno}");
        }

        return handle;
    }
}
