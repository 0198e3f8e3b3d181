using System.Collections.Concurrent;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;
using Xunit;
using Xunit.Abstractions;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>
/// The eBPF backend while frames flow at full rate: every delivered frame's queue and hash report are checked
/// against the core's decision, from the first frame after link-up, across queues detached and re-attached, and
/// across a reconfiguration every few milliseconds.
/// </summary>
public sealed class SteeringUnderLoadTests(ITestOutputHelper output)
{
    private const int Queues = 4;

    /// <summary>
    /// Issue "data path at rate": no frame is ever delivered on a queue other than the one its steering decision
    /// names, from the first one. IPv6 is on, so the kernel's own MLD and neighbour discovery frames, sent the moment
    /// the link comes up, count too; frames are injected while the device comes up; ten devices, ten link-ups.
    /// RssTap sets the link up only once the program is attached and every queue has its reader, so no frame may even
    /// reach a queue the program did not choose: nothing is dropped as misrouted either.
    /// </summary>
    [RootFact]
    public void From_the_first_frame_after_link_up_every_frame_is_on_its_decisions_queue_in_ten_link_ups_with_IPv6_on()
    {
        using var ns = new NetworkNamespace();
        ns.Exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=0");
        RssConfiguration configuration = RandomConfiguration(new Random(17), HashTypes.AllNonEx);
        var checker = new DecisionChecker([configuration]);
        long kernelFrames = 0;
        for (int round = 0; round < 10; round++)
        {
            string name = TestTaps.NewName();
            using TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = name, QueueCount = Queues, BringUp = false }));
            using PacketFlood flood = PacketFlood.Start(device.Name, ns.Path, PacketFlood.MixedFrames(64));
            long seenBefore = checker.Checked;
            long kernelBefore = Interlocked.Read(ref kernelFrames);
            using RssTap tap = RssTap.Start(device, configuration, batch =>
            {
                checker.Check(batch);
                foreach (TapFrameView frame in batch)
                {
                    if (IsKernelIPv6(frame.Frame))
                    {
                        Interlocked.Increment(ref kernelFrames);
                    }
                }
            }, new RssTapOptions { Backend = SteeringBackendKind.Ebpf });
            Assert.True(device.IsLinkUp);
            TestTraffic.WaitUntil(() => Interlocked.Read(ref kernelFrames) > kernelBefore && checker.Checked > seenBefore + 1000, $"the kernel's IPv6 frames and injected ones after link-up #{round + 1}", progress: () => checker.Checked);
            flood.Stop();
            tap.Dispose();
            Assert.Equal(0, tap.Receiver.KernelQueues.Sum(r => r.DroppedMisrouted));
        }

        output.WriteLine($"{checker.Checked} frames checked, {kernelFrames} of them the kernel's own IPv6 (MLD, neighbour discovery)");
        Assert.Empty(checker.Problems);
    }

    /// <summary>
    /// Issue "data path at rate": queues detached and re-attached under a flood. The readers keep going; a frame the
    /// kernel queued on a queue its decision does not name (tun moves the last queue into a detached one's slot, and
    /// steers among fewer queues meanwhile) is dropped and counted, never delivered; once every queue is back, every
    /// queue receives its frames again.
    /// </summary>
    [RootFact]
    public void Queues_detached_and_reattached_at_full_rate_never_deliver_a_frame_on_another_queue()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.CreateDown(ns, Queues);
        RssConfiguration configuration = RandomConfiguration(new Random(23), HashTypes.AllNonEx);
        var checker = new DecisionChecker([configuration]);
        using RssTap tap = RssTap.Start(device, configuration, checker.Check, new RssTapOptions { Backend = SteeringBackendKind.Ebpf });
        using PacketFlood flood = PacketFlood.Start(device.Name, ns.Path);
        TestTraffic.WaitUntil(() => checker.Checked > 10_000, "frames to flow", progress: () => flood.Offered);

        var random = new Random(5);
        for (int cycle = 0; cycle < 20; cycle++)
        {
            TapQueue queue = device.Queues[random.Next(Queues)];
            device.DetachQueue(queue);
            Thread.Sleep(10);
            device.AttachQueue(queue);
            Thread.Sleep(10);
        }

        long[] before = [.. tap.Queues.Select(q => q.Statistics.Delivered)];
        TestTraffic.WaitUntil(() => tap.Queues.All(q => q.Statistics.Delivered > before[q.Index] + 1000), "every queue to receive again", progress: () => checker.Checked);
        flood.Stop();

        output.WriteLine($"{checker.Checked} frames checked; dropped as misrouted during the changes: {tap.Receiver.KernelQueues.Sum(r => r.DroppedMisrouted)}");
        Assert.Null(tap.Receiver.Failure);
        Assert.Empty(checker.Problems);
        Assert.Equal(Queues, device.AttachedQueueCount);
    }

    /// <summary>
    /// Issue "data path at rate": a live reconfiguration (key, table and types) every few milliseconds under a flood,
    /// every frame's queue and report checked against the configuration that steered it: there must be one of the
    /// configurations that gives both, never a mix. Three configurations take turns, so the readers always know every
    /// one that can have steered a queued frame, and not a single frame may be found misrouted: a torn configuration
    /// in the program would show as one.
    /// </summary>
    [RootFact]
    public void A_reconfiguration_every_few_milliseconds_at_full_rate_never_tears_a_frames_queue_and_report()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.CreateDown(ns, Queues);
        var random = new Random(31);
        RssConfiguration[] configurations =
        [
            RandomConfiguration(random, HashTypes.AllNonEx),
            RandomConfiguration(random, HashTypes.IPv4 | HashTypes.TcpV4 | HashTypes.IPv6),
            RandomConfiguration(random, HashTypes.UdpV4 | HashTypes.TcpV6 | HashTypes.UdpV6 | HashTypes.IPv6),
        ];
        var checker = new DecisionChecker(configurations);
        using RssTap tap = RssTap.Start(device, configurations[0], checker.Check, new RssTapOptions { Backend = SteeringBackendKind.Ebpf });
        using PacketFlood flood = PacketFlood.Start(device.Name, ns.Path);
        TestTraffic.WaitUntil(() => checker.Checked > 10_000, "frames to flow", progress: () => flood.Offered);

        int reconfigurations = 0;
        while (reconfigurations < 400 || checker.Unique.Count(n => n > 0) < configurations.Length)
        {
            tap.Reconfigure(configurations[++reconfigurations % configurations.Length]);
            Thread.Sleep(3);
            Assert.True(reconfigurations < 20_000, "frames of some configuration never arrived");
        }

        flood.Stop();
        output.WriteLine($"{reconfigurations} reconfigurations, {checker.Checked} frames checked, told apart by one configuration only: {string.Join(", ", checker.Unique)}");
        Assert.Empty(checker.Problems);
        Assert.Equal(0, tap.Receiver.KernelQueues.Sum(r => r.DroppedMisrouted));
    }

    private static RssConfiguration RandomConfiguration(Random random, HashTypes types)
    {
        byte[] key = new byte[40];
        random.NextBytes(key);
        ushort[] table = [.. Enumerable.Range(0, 128).Select(_ => (ushort)random.Next(Queues))];
        return RssConfiguration.Create(types, key, table, (ushort)random.Next(Queues));
    }

    /// <summary>ICMPv6 (MLD, neighbour and router discovery) the kernel sends on its own; the injected frames are TCP and UDP.</summary>
    private static bool IsKernelIPv6(ReadOnlySpan<byte> frame) =>
        frame.Length > 54 && frame[12] == 0x86 && frame[13] == 0xdd && frame[20] is 0 or 58;

    /// <summary>Checks each delivered frame against the core: some configuration must give both its queue and its hash report.</summary>
    private sealed class DecisionChecker(RssConfiguration[] configurations)
    {
        private readonly RssSteering[] _steerings = [.. configurations.Select(c => new RssSteering(c))];
        private long _checked;

        public ConcurrentQueue<string> Problems { get; } = new();

        /// <summary>Frames only one configuration explains, per configuration.</summary>
        public long[] Unique { get; } = new long[configurations.Length];

        public long Checked => Interlocked.Read(ref _checked);

        public void Check(TapFrameBatch batch)
        {
            foreach (TapFrameView frame in batch)
            {
                int matches = 0;
                int which = -1;
                for (int i = 0; i < _steerings.Length; i++)
                {
                    RssDecision decision = _steerings[i].Decide(frame.Frame, FrameKind.Ethernet, Queues);
                    if (decision.Queue == frame.Queue && decision.Hash == frame.Hash)
                    {
                        matches++;
                        which = i;
                    }
                }

                if (matches == 0 && Problems.Count < 20)
                {
                    RssDecision expected = _steerings[0].Decide(frame.Frame, FrameKind.Ethernet, Queues);
                    Problems.Enqueue($"queue {frame.Queue} {frame.Hash} for {Convert.ToHexString(frame.Frame[..Math.Min(frame.Frame.Length, 64)])}; the first configuration says {expected.Queue} {expected.Hash}");
                }
                else if (matches == 1)
                {
                    Interlocked.Increment(ref Unique[which]);
                }
            }

            Interlocked.Add(ref _checked, batch.Count);
        }
    }
}
