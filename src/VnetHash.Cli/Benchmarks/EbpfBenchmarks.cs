using VnetHash.Cli.Frames;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The eBPF steering program per packet, timed by the kernel itself (<c>BPF_PROG_TEST_RUN</c> with repetitions,
/// through <see cref="EbpfSteering.TestRun"/>): TCP over IPv4 and IPv6, and an ARP frame, which the program sends to
/// the unclassified queue after reading its EtherType (the floor of a run of the program). Needs bpf(2): root or
/// CAP_BPF; without it the cases are listed as skipped with the kernel's refusal.
/// </summary>
public sealed class EbpfBenchmarks : IBenchmarkProvider
{
    private const int Repetitions = 200_000;
    private const int QueueCount = 4;
    private static readonly string[] Names = ["ebpf-ipv4-tcp", "ebpf-ipv6-tcp", "ebpf-non-ip"];

    public IEnumerable<BenchmarkCase> Cases()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(QueueCount);
        if (CannotLoad(configuration) is { } reason)
        {
            foreach (string name in Names)
            {
                yield return BenchmarkCase.Skipped(name, reason);
            }

            yield break;
        }

        byte[] ipv4 = new FrameSpec { Source = [10, 0, 0, 1], Destination = [10, 0, 0, 2], Protocol = 6, SourcePort = 40000, DestinationPort = 443 }.BuildEthernet();
        byte[] a = new byte[16], b = new byte[16];
        a[0] = b[0] = 0x20;
        a[15] = 1;
        b[15] = 2;
        byte[] ipv6 = new FrameSpec { Source = a, Destination = b, Protocol = 6, SourcePort = 40000, DestinationPort = 443 }.BuildEthernet();
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        yield return BenchmarkCase.Measured(Names[0], () => Steering(configuration, ipv4));
        yield return BenchmarkCase.Measured(Names[1], () => Steering(configuration, ipv6));
        yield return BenchmarkCase.Measured(Names[2], () => Steering(configuration, arp));
    }

    private static double Steering(RssConfiguration configuration, byte[] frame)
    {
        using EbpfSteering steering = EbpfSteering.Load(configuration);
        uint queue = steering.TestRun(frame, Repetitions, out uint nanoseconds);

        // A program that took another path (a frame it could not parse, say) would be timed doing other work.
        int expected = new RssSteering(configuration).Decide(frame, FrameKind.Ethernet, QueueCount).Queue;
        if (queue != expected)
        {
            throw new InvalidOperationException($"The steering program chose queue {queue} for the benchmark frame, the core {expected}.");
        }

        return nanoseconds;
    }

    /// <summary>Null when this process may load the steering program, otherwise the kernel's refusal, explained.</summary>
    private static string? CannotLoad(RssConfiguration configuration)
    {
        try
        {
            using EbpfSteering steering = EbpfSteering.Load(configuration);
            return null;
        }
        catch (BpfException refused)
        {
            return refused.Message;
        }
    }
}
