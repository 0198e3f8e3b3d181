using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;
using Xunit;

namespace VnetHash.Tap.Tests.Steering;

public sealed class RssTapTests
{
    private static readonly RssConfiguration Everything = RssConfiguration.RoundRobin(4, HashTypes.AllNonEx, profile: HashProfile.LinuxTun);

    [RootFact]
    public void Kernel_probe_on_a_mainline_kernel_finds_no_hashing_ioctls()
    {
        // linux-tap-ebpf.md §3: every hashing ioctl answers EINVAL on an attached fd of a mainline kernel.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        KernelHashSupport support = KernelHashProbe.Probe(device.Queues[0]);
        if (support.IsSupported)
        {
            // A series kernel: the answer must be the documented capability.
            Assert.Equal(HashTypes.AllNonEx, support.Types & HashTypes.AllNonEx);
            return;
        }

        Assert.Equal(KernelHashGeneration.None, support.Generation);
        Assert.Contains("EINVAL", support.Detail, StringComparison.Ordinal);
    }

    [RootFact]
    public void Explicit_kernel_backend_on_a_kernel_without_the_series_throws_instead_of_falling_back()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        if (KernelHashProbe.Probe(device.Queues[0]).IsSupported)
        {
            // A series kernel: the explicit choice is served by the kernel itself.
            using RssTap served = RssTap.Start(device, Everything, new RssTapOptions { Backend = SteeringBackendKind.Kernel });
            Assert.Equal(SteeringBackendKind.Kernel, served.Selection.Kind);
            return;
        }

        var error = Assert.Throws<TapException>(() => RssTap.Start(device, Everything, new RssTapOptions { Backend = SteeringBackendKind.Kernel }));
        Assert.Equal(TapError.NotSupported, error.Error);
        Assert.Contains("TUNGETVNETHASHTYPES", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Auto_records_which_backend_it_took_and_why()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        using RssTap tap = RssTap.Start(device, Everything, new RssTapOptions { QueueCount = 4 });
        Assert.NotEqual(SteeringBackendKind.Auto, tap.Selection.Kind);
        Assert.Contains("kernel", tap.Selection.Reason, StringComparison.Ordinal);
        if (tap.Selection.Kind == SteeringBackendKind.Userspace)
        {
            // One kernel queue spread over four receive queues: only userspace steering can do that.
            Assert.Contains("eBPF", tap.Selection.Reason, StringComparison.Ordinal);
        }
    }

    [RootFact]
    public void Reconfigure_while_frames_flow_steers_later_frames_with_the_new_table()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        RssConfiguration toQueue1 = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [1], 0, HashProfile.LinuxTun);
        RssConfiguration toQueue2 = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [2], 0, HashProfile.LinuxTun);
        using RssTap tap = RssTap.Start(device, toQueue1, new RssTapOptions { Backend = SteeringBackendKind.Userspace, QueueCount = 3 });
        using var socket = TestTraffic.Open(ns, device);

        for (ushort i = 0; i < 50; i++)
        {
            socket.Send(TestTraffic.Udp4((ushort)(6000 + i)), 0x0800, TestTraffic.SelftestDestination);
        }

        TestTraffic.WaitUntil(() => tap.Queues[1].Statistics.Delivered == 50, "50 frames on queue 1");
        tap.Reconfigure(toQueue2);
        Assert.Same(toQueue2, tap.Configuration);
        for (ushort i = 0; i < 50; i++)
        {
            socket.Send(TestTraffic.Udp4((ushort)(6000 + i)), 0x0800, TestTraffic.SelftestDestination);
        }

        TestTraffic.WaitUntil(() => tap.Queues[2].Statistics.Delivered == 50, "50 frames on queue 2");
        // Frames queued before the swap kept their decision.
        Assert.Equal(50, tap.Queues[1].Statistics.Queued);
        Assert.Equal(0, tap.Queues[0].Statistics.Delivered);
    }

    [RootFact]
    public void Auto_takes_ebpf_when_the_kernel_lacks_the_series_and_the_program_attaches()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 4);
        RssConfiguration virtio = RssConfiguration.RoundRobin(4, HashTypes.AllNonEx);
        using RssTap tap = RssTap.Start(device, virtio);
        if (KernelHashProbe.Probe(device.Queues[0]).IsSupported)
        {
            Assert.Equal(SteeringBackendKind.Kernel, tap.Selection.Kind);
            return;
        }

        Assert.Equal(SteeringBackendKind.Ebpf, tap.Selection.Kind);
        Assert.Contains("EINVAL", tap.Selection.Reason, StringComparison.Ordinal);
        Assert.Contains("TUNSETSTEERINGEBPF", tap.Selection.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// The eBPF backend has a program for the linux-tun profile (docs/design.md "eBPF steering: the linux-tun
    /// program"); a reconfiguration to another profile would need another program and is refused by name.
    /// </summary>
    [RootFact]
    public void Explicit_ebpf_with_the_linux_tun_profile_loads_and_refuses_a_profile_change_by_name()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        RssConfiguration linux = RssConfiguration.RoundRobin(2, HashTypes.AllNonEx, profile: HashProfile.LinuxTun);
        using RssTap tap = RssTap.Start(device, linux, new RssTapOptions { Backend = SteeringBackendKind.Ebpf });
        Assert.Equal(SteeringBackendKind.Ebpf, tap.Selection.Kind);
        var error = Assert.Throws<TapException>(() => tap.Reconfigure(RssConfiguration.RoundRobin(2, HashTypes.AllNonEx)));
        Assert.Equal(TapError.NotSupported, error.Error);
        Assert.Contains(nameof(HashProfile.VirtioSpec), error.Message, StringComparison.Ordinal);
        Assert.Equal(HashProfile.LinuxTun, tap.Configuration.Profile);
    }

    [RootFact]
    public void Ebpf_reconfigure_while_frames_flow_steers_later_frames_with_the_new_table()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 3);
        RssConfiguration toQueue1 = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [1], 0);
        RssConfiguration toQueue2 = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [2], 0);
        using RssTap tap = RssTap.Start(device, toQueue1, new RssTapOptions { Backend = SteeringBackendKind.Ebpf });
        using var socket = TestTraffic.Open(ns, device);

        for (ushort i = 0; i < 50; i++)
        {
            socket.Send(TestTraffic.Udp4((ushort)(6000 + i)), 0x0800, TestTraffic.SelftestDestination);
        }

        TestTraffic.WaitUntil(() => tap.Queues[1].Statistics.Delivered == 50, "50 frames on queue 1");
        tap.Reconfigure(toQueue2);
        for (ushort i = 0; i < 50; i++)
        {
            socket.Send(TestTraffic.Udp4((ushort)(6000 + i)), 0x0800, TestTraffic.SelftestDestination);
        }

        TestTraffic.WaitUntil(() => tap.Queues[2].Statistics.Delivered == 50, "50 frames on queue 2");
        Assert.Equal(50, tap.Queues[1].Statistics.Queued);
        Assert.Equal(0, tap.Queues[0].Statistics.Delivered);
        Assert.Equal(100, tap.Queues.Sum(q => q.Statistics.CountOf(HashReport.UdpV4)));
    }

    [RootFact]
    public void Starting_and_disposing_every_backend_leaves_no_fd_behind()
    {
        using var ns = new NetworkNamespace();
        RssConfiguration virtio = RssConfiguration.RoundRobin(2, HashTypes.AllNonEx);
        void Round(SteeringBackendKind backend)
        {
            using TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = TestTaps.NewName(), QueueCount = 2 }));
            using RssTap tap = RssTap.Start(device, virtio, new RssTapOptions { Backend = backend });
        }

        Round(SteeringBackendKind.Userspace);
        int before = TestTaps.OpenFdCount();
        Round(SteeringBackendKind.Userspace);
        Round(SteeringBackendKind.Ebpf);
        Assert.Equal(before, TestTaps.OpenFdCount());
    }

    [RootFact]
    public void Kernel_and_ebpf_backends_refuse_a_receive_queue_count_they_cannot_serve()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        Assert.Throws<ArgumentException>(() => RssTap.Start(device, Everything, new RssTapOptions { Backend = SteeringBackendKind.Ebpf, QueueCount = 4 }));
        Assert.ThrowsAny<Exception>(() => RssTap.Start(device, Everything, new RssTapOptions { Backend = SteeringBackendKind.Kernel, QueueCount = 4 }));
    }

    [RootFact]
    public void Userspace_reports_into_a_tun_device_too()
    {
        using var ns = new NetworkNamespace();
        TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = TestTaps.NewName(), Kind = TapKind.Tun, BringUp = false }));
        using (device)
        {
            ns.DisableIPv6(device.Name);
            device.SetLinkUp(true);
            using RssTap tap = RssTap.Start(device, Everything, new RssTapOptions { Backend = SteeringBackendKind.Userspace, QueueCount = 4 });
            Assert.Empty(device.MacAddress.GetAddressBytes());
            byte[] packet = new FrameBuilder().Ethernet().IPv4("10.9.0.1", "10.9.0.2").Udp(1000, 2000).Build()[14..];
            var steering = new RssSteering(Everything);
            RssDecision expected = steering.Decide(packet, FrameKind.IP, 4);

            using var socket = TestTraffic.Open(ns, device);
            socket.Send(packet, 0x0800, new byte[6]);

            using TapFrame frame = TestTraffic.Take(tap.Queues[expected.Queue], 1)[0];
            Assert.Equal(packet, frame.Frame.ToArray());
            Assert.Equal(expected.Hash, frame.Hash);
        }
    }
}
