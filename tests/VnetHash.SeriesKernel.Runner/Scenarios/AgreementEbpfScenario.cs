using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Ebpf;
using VnetHash.Tap.Steering;
using VnetHash.Traffic;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The eBPF backend with the <c>linux-tun</c> profile inside the series kernel: the mixed frames are first steered by
/// the kernel itself, then, with the kernel's configuration taken off (v5 refuses RSS and a steering program together),
/// by the steering program; every frame must land on the queue the kernel chose, with the hash and report the
/// kernel reported (the program records its decision).
/// </summary>
internal sealed class AgreementEbpfScenario : IScenario
{
    private const int QueueCount = 4;
    private const int ReportedMismatches = 20;

    public string Name => "agreement-ebpf";

    public void Run(Report report, ScenarioOptions options)
    {
        var generator = new MixedFrameGenerator(options.Seed) { KernelDivergences = true };
        byte[][] frames = [.. Enumerable.Range(0, options.Frames).Select(_ => generator.Next())];
        RssConfiguration configuration = Configurations.KernelNative(QueueCount);

        EbpfSteering program;
        try
        {
            program = EbpfSteering.Load(configuration, new EbpfSteeringOptions { RecordResults = true });
        }
        catch (NotSupportedException error)
        {
            report.Result(report.Line("ebpf-linux-tun-load").Add("message", error.Message), "the eBPF backend does not steer with the linux-tun profile, so it cannot be compared with the kernel");
            return;
        }

        using (program)
        {
            Compare(report, frames, configuration, program);
        }
    }

    private static void Compare(Report report, byte[][] frames, RssConfiguration configuration, EbpfSteering program)
    {
        using BridgedTaps taps = BridgedTaps.Create("eb", QueueCount);
        var catcher = new QueueCatcher([.. taps.Destination.Queues.Select(q => q.Handle)], taps.Destination.VnetHeaderSize);
        var kernel = new (int Queue, HashResult Hash)?[frames.Length];
        using (KernelSteering steering = KernelSteering.Start(taps.Destination, configuration))
        {
            for (int i = 0; i < frames.Length; i++)
            {
                taps.Send(frames[i]);
                if (catcher.Catch(frames[i], RxCases.Timeout) is { } caught)
                {
                    kernel[i] = (caught.Queue, steering.ReadReport(caught.Header).Hash);
                }
            }

            steering.Stop();
        }

        taps.Destination.Queues[0].SetSteeringProgram(program.ProgramHandle);
        int agreed = 0, mismatched = 0, lost = 0;
        for (int i = 0; i < frames.Length; i++)
        {
            taps.Send(frames[i]);
            CaughtFrame? caught = catcher.Catch(frames[i], RxCases.Timeout);
            EbpfSteeringResult? decision = program.ReadLastResult();
            if (caught is not { } delivered || kernel[i] is not { } expected)
            {
                lost++;
                continue;
            }

            HashResult ebpf = decision?.HashResult ?? HashResult.None;
            if (delivered.Queue == expected.Queue && ebpf == expected.Hash)
            {
                agreed++;
                continue;
            }

            if (++mismatched <= ReportedMismatches)
            {
                report.Result(
                    report.Line($"frame-{i}")
                        .Add("frame", Convert.ToHexString(frames[i]))
                        .Add("kernel_queue", expected.Queue)
                        .Add("kernel_hash", expected.Hash.ToString())
                        .Add("ebpf_queue", delivered.Queue)
                        .Add("ebpf_hash", ebpf.ToString()),
                    "the steering program and the series kernel disagree");
            }
        }

        taps.Destination.Queues[0].SetSteeringProgram(null);
        report.Check(
            report.Line("ebpf-linux-tun-vs-kernel").Add("frames", frames.Length).Add("agreed", agreed).Add("mismatched", mismatched).Add("lost", lost),
            agreed == frames.Length,
            $"{mismatched} frames landed elsewhere or hashed differently, {lost} were lost");
    }
}
