using VnetHash.Cli.Frames;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The eBPF steering program per packet, and the two-instruction program as the floor of any program run,
/// timed by the kernel itself (<c>BPF_PROG_TEST_RUN</c> with repetitions). Needs bpf(2): root or CAP_BPF;
/// without it the cases are listed as skipped with the kernel's refusal.
/// </summary>
public sealed class EbpfBenchmarks : IBenchmarkProvider
{
    private const int Repetitions = 200_000;
    private const int QueueCount = 4;

    public IEnumerable<BenchmarkCase> Cases()
    {
        if (CannotLoad() is { } reason)
        {
            foreach (string name in new[] { "ebpf-ipv4-tcp", "ebpf-ipv6-tcp", "ebpf-trivial" })
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
        yield return BenchmarkCase.Measured("ebpf-ipv4-tcp", () => Steering(ipv4));
        yield return BenchmarkCase.Measured("ebpf-ipv6-tcp", () => Steering(ipv6));
        yield return BenchmarkCase.Measured("ebpf-trivial", () =>
        {
            using BpfProgram program = BpfProgram.Load(BpfProgramSpec.Trivial());
            return program.TestRunFrame(ipv4, Repetitions).DurationNanoseconds;
        });
    }

    private static double Steering(byte[] frame)
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(QueueCount);
        using EbpfSteering steering = EbpfSteering.Load(configuration);
        BpfTestRunResult run = steering.Program.TestRunFrame(frame, Repetitions);

        // A program that took another path (a frame it could not parse, say) would be timed doing other work.
        int expected = new RssSteering(configuration).Decide(frame, FrameKind.Ethernet, QueueCount).Queue;
        if (run.ReturnValue != expected)
        {
            throw new InvalidOperationException($"The steering program chose queue {run.ReturnValue} for the benchmark frame, the core {expected}.");
        }

        return run.DurationNanoseconds;
    }

    /// <summary>Null when this process may load programs, otherwise the kernel's refusal, explained.</summary>
    private static string? CannotLoad()
    {
        try
        {
            using BpfProgram program = BpfProgram.Load(BpfProgramSpec.Trivial());
            return null;
        }
        catch (BpfException refused)
        {
            return refused.Message;
        }
    }
}
