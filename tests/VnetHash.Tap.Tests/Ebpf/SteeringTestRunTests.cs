using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>
/// <see cref="EbpfSteering.TestRun"/>, the public way to check and time the loaded program without a device (what
/// <c>vnethash bench</c> uses): its queue is the one the core chooses, and the kernel reports a time per run.
/// </summary>
public sealed class SteeringTestRunTests
{
    [BpfFact]
    public void A_test_run_returns_the_queue_the_core_chooses_and_the_kernels_time()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(8);
        var core = new RssSteering(configuration);
        byte[][] frames =
        [
            new FrameBuilder().Ethernet().IPv4("10.1.2.3", "10.4.5.6").Tcp(1234, 80).Build(),
            new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").Udp(53, 5353).Build(),
            new FrameBuilder().Ethernet(etherType: 0x0806).Payload(new byte[28]).Build(),
        ];
        using EbpfSteering steering = EbpfSteering.Load(configuration);

        foreach (byte[] frame in frames)
        {
            uint queue = steering.TestRun(frame, 1000, out uint nanoseconds);

            Assert.Equal((uint)core.Decide(frame, FrameKind.Ethernet, 8).Queue, queue);
            Assert.InRange(nanoseconds, 1u, 1_000_000u);
        }
    }

    [BpfFact]
    public void Fewer_than_one_repetition_is_refused()
    {
        using EbpfSteering steering = EbpfSteering.Load(RssConfiguration.RoundRobin(2));

        Assert.Throws<ArgumentOutOfRangeException>(() => steering.TestRun(new byte[60], 0, out _));
    }
}
