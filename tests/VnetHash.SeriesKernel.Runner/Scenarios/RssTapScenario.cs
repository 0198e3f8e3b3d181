using VnetHash.Hashing;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The tap layer's <see cref="RssTap"/> on the series kernel: Auto takes the kernel-native backend for the selftest
/// configuration, the readers hand over the kernel's own header untouched (queue, hash and report as in the vectors),
/// and a live change to IPv6-only types is refused with the key-length reason while the old configuration stays.
/// </summary>
internal sealed class RssTapScenario : IScenario
{
    public string Name => "rsstap";

    public void Run(Report report, ScenarioOptions options)
    {
        IReadOnlyList<SelftestVector> vectors = SelftestVector.Load(options.VectorsPath);
        using BridgedTaps taps = BridgedTaps.Create("rt", vectors[0].Queues);
        using RssTap tap = RssTap.Start(taps.Destination, vectors[0].Configuration);
        report.Check(
            report.Line("auto-selection").Add("backend", tap.Selection.Kind).Add("reason", tap.Selection.Reason),
            tap.Selection.Kind == SteeringBackendKind.Kernel,
            "Auto did not take the kernel for a configuration it serves");

        foreach (SelftestVector vector in vectors)
        {
            taps.Send(vector.Frame);
            ResultLine line = report.Line($"reader-{vector.Variant}").Add("expected_queue", vector.Queue);
            if (Receive(tap, vector.Frame) is not { } received)
            {
                report.Result(line, "the frame reached no receive queue");
                continue;
            }

            line.Add("queue", received.Queue).Add("hash", $"{received.Hash.Value:x8}").Add("report", (int)received.Hash.Report);
            var expected = new HashResult(vector.Report == HashReport.None ? 0 : vector.Hash, vector.Report);
            report.Check(line, received.Queue == vector.Queue && received.Hash == expected, $"queue {received.Queue} {received.Hash}, the selftest expects {vector.Queue} {expected}");
        }

        ResultLine refused = report.Line("reconfigure-refuses-ipv6-only");
        try
        {
            tap.Reconfigure(vectors[0].Configuration.WithTypes(HashTypes.IPv6 | HashTypes.TcpV6 | HashTypes.UdpV6));
            report.Result(refused, "the kernel backend took IPv6-only types, which trigger the key-length bug");
        }
        catch (TapException error)
        {
            refused.Add("message", error.Message).Add("types_in_force", $"0x{(uint)tap.Configuration.Types:x}");
            report.Check(
                refused,
                error.Error == TapError.NotSupported && error.Message.Contains("key-length bug", StringComparison.Ordinal) && tap.Configuration.Types == HashTypes.AllNonEx,
                "not a NotSupported error naming the key-length bug, or the configuration changed");
        }
    }

    private static (int Queue, HashResult Hash)? Receive(RssTap tap, byte[] sent)
    {
        long deadline = Environment.TickCount64 + (long)RxCases.Timeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            foreach (ReceiveQueue queue in tap.Queues)
            {
                while (queue.TryRead(out TapFrame frame))
                {
                    using (frame)
                    {
                        if (frame.Frame.SequenceEqual(sent))
                        {
                            return (frame.Queue, frame.Hash);
                        }
                    }
                }
            }

            Thread.Sleep(5);
        }

        return null;
    }
}
