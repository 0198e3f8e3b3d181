using System.Globalization;
using System.Runtime.InteropServices;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Ebpf;
using VnetHash.TapBenchmarks.Infrastructure;
using VnetHash.TapBenchmarks.Traffic;
using VnetHash.Traffic;

namespace VnetHash.TapBenchmarks.Scenarios;

/// <summary>
/// The kernel's own account of what a steering program costs per packet on a real four-queue TAP: frames are
/// sent out of the tap through an AF_PACKET socket, tun runs the attached program to pick each frame's queue,
/// and <c>run_time_ns / run_cnt</c> of <c>bpf_prog_info</c> (kept while <c>kernel.bpf_stats_enabled</c> is 1)
/// give the time per run. Every program sees the same frames; the two-instruction program measures the fixed
/// cost of running any program, so "body" is a program's time above it.
/// </summary>
internal sealed class EbpfSteeringCost
{
    private const int QueueCount = 4;
    private const int DrainEvery = 256;

    private readonly int _packets;
    private readonly int _rounds;
    private readonly List<(string Label, uint Id)> _external;
    private readonly byte[] _buffer = new byte[2048];

    public EbpfSteeringCost(int packets, int rounds, List<(string Label, uint Id)> external)
    {
        _packets = packets;
        _rounds = rounds;
        _external = external;
    }

    public void Run()
    {
        PrivateNamespace.DisableIPv6();
        using TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = "vnhbench0", QueueCount = QueueCount });
        PrivateNamespace.DisableIPv6(device.Name);
        using PacketSocket socket = PacketSocket.OpenRaw(device.InterfaceIndex);

        RssConfiguration configuration = RssConfiguration.RoundRobin(QueueCount);
        using EbpfSteering ours = EbpfSteering.Load(configuration);
        using EbpfSteering linuxTun = EbpfSteering.Load(configuration.WithProfile(HashProfile.LinuxTun));
        using BpfProgram trivial = BpfProgram.Load(BpfProgramSpec.Trivial());
        var programs = new List<(string Label, BpfProgram Program, bool External)>
        {
            ("trivial", trivial, false),
            ("vnethash", ours.Program, false),
            ("linux-tun", linuxTun.Program, false),
        };
        var external = new List<BpfProgram>();
        try
        {
            foreach ((string label, uint id) in _external)
            {
                BpfProgram program = BpfProgram.FromId(id);
                external.Add(program);
                programs.Add((label, program, true));
            }

            Measure(device, socket, programs);
        }
        finally
        {
            device.Queues[0].SetSteeringProgram(null);
            external.ForEach(program => program.Dispose());
        }
    }

    private void Measure(TapDevice device, PacketSocket socket, List<(string Label, BpfProgram Program, bool External)> programs)
    {
        FrameStream[] streams = [FrameStream.Mixed(64), .. Enum.GetValues<StreamFamily>().Select(f => FrameStream.Of(f, 256))];
        var samples = new Dictionary<(string Stream, string Program), List<double>>();
        var spread = new Dictionary<(string Stream, string Program), long[]>();

        // One unmeasured pass warms caches, the JIT of this loop and the tap's rings.
        foreach (var program in programs)
        {
            _ = Send(device, socket, program, streams[0], Math.Min(_packets, 10_000));
        }

        for (int round = 0; round < _rounds; round++)
        {
            foreach (FrameStream stream in streams)
            {
                // Rotating the order spreads slow drift of the machine over every program alike.
                for (int k = 0; k < programs.Count; k++)
                {
                    var program = programs[(k + round) % programs.Count];
                    (double nanoseconds, long[] queues) = Send(device, socket, program, stream, _packets);
                    var key = (stream.Name, program.Label);
                    (samples.TryGetValue(key, out var list) ? list : samples[key] = []).Add(nanoseconds);
                    spread[key] = queues;
                }
            }
        }

        Console.WriteLine($"ns per packet: kernel bpf_prog_info run_time_ns / run_cnt, median of {_rounds} rounds of {_packets} frames; body = program - trivial");
        Console.WriteLine($"{"stream",-26} {"program",-10} {"ns/pkt",8} {"body",8} {"min",8} {"max",8}  queue shares");
        foreach (FrameStream stream in streams)
        {
            double baseline = Median(samples[(stream.Name, "trivial")]);
            foreach (var program in programs)
            {
                List<double> list = samples[(stream.Name, program.Label)];
                long[] queues = spread[(stream.Name, program.Label)];
                long total = Math.Max(1, queues.Sum());
                string shares = string.Join(' ', queues.Select(q => (100.0 * q / total).ToString("0", CultureInfo.InvariantCulture) + "%"));
                Console.WriteLine($"{stream.Name,-26} {program.Label,-10} {Median(list),8:0.0} {Median(list) - baseline,8:0.0} {list.Min(),8:0.0} {list.Max(),8:0.0}  {shares}");
            }
        }

        foreach (var other in programs.Where(p => p.External))
        {
            foreach (FrameStream stream in streams)
            {
                double baseline = Median(samples[(stream.Name, "trivial")]);
                double ours = Median(samples[(stream.Name, "vnethash")]);
                double theirs = Median(samples[(stream.Name, other.Label)]);
                Console.WriteLine($"vnethash / {other.Label} on {stream.Name}: {ours / theirs:0.00} per packet, {(ours - baseline) / (theirs - baseline):0.00} body");
            }
        }

        HotCacheCost(programs, streams.Skip(1));

        Console.WriteLine();
        Console.WriteLine($"{"program",-10} {"kernel name",-16} {"verified insns",15} {"xlated bytes",13} {"jited bytes",12}");
        foreach (var program in programs)
        {
            BpfProgramInfo info = program.Program.GetInfo();
            Console.WriteLine($"{program.Label,-10} {info.Name,-16} {info.VerifiedInstructions,15} {info.TranslatedLength,13} {info.JitedLength,12}");
        }
    }

    /// <summary>
    /// The same programs under <c>BPF_PROG_TEST_RUN</c>, one frame run over and over with everything hot in the
    /// cache: set beside the TAP numbers it shows how much of a program's cost on the TAP is cache misses. Programs
    /// that read the frame from the socket buffer's start (ours, the trivial one) run it as a TAP shows it
    /// (<see cref="BpfProgram.TestRunFrame"/>), while programs that read relative to the MAC header (others) get the
    /// frame as the test run's data.
    /// </summary>
    private static void HotCacheCost(List<(string Label, BpfProgram Program, bool External)> programs, IEnumerable<FrameStream> streams)
    {
        const int Repeat = 200_000;
        Console.WriteLine();
        Console.WriteLine($"BPF_PROG_TEST_RUN, hot cache: ns per run (kernel mean of {Repeat} repetitions, best of 3), return value = queue");
        foreach (FrameStream stream in streams)
        {
            byte[] frame = stream.Frames[0];
            var cells = new List<string>();
            foreach (var program in programs)
            {
                (uint queue, uint best) = (0, uint.MaxValue);
                for (int i = 0; i < 3; i++)
                {
                    BpfTestRunResult run = program.External ? program.Program.TestRun(frame, Repeat) : program.Program.TestRunFrame(frame, Repeat);
                    (queue, best) = (run.ReturnValue, Math.Min(best, run.DurationNanoseconds));
                }

                cells.Add($"{program.Label} {best} ns (queue {queue})");
            }

            Console.WriteLine($"{stream.Name,-26} {string.Join(", ", cells)}");
        }
    }

    /// <summary>Attaches the program, sends <paramref name="count"/> frames and returns the kernel's ns per run and the frames per queue.</summary>
    private (double Nanoseconds, long[] Queues) Send(TapDevice device, PacketSocket socket, (string Label, BpfProgram Program, bool External) program, FrameStream stream, int count)
    {
        device.Queues[0].SetSteeringProgram(program.Program.FileDescriptor);
        var queues = new long[QueueCount];
        Drain(device, queues);
        Array.Clear(queues);
        BpfProgramInfo before = program.Program.GetInfo();
        IReadOnlyList<byte[]> frames = stream.Frames;
        for (int i = 0; i < count; i++)
        {
            socket.SendFrame(frames[i % frames.Count]);
            if (i % DrainEvery == DrainEvery - 1)
            {
                Drain(device, queues);
            }
        }

        BpfProgramInfo after = program.Program.GetInfo();
        Drain(device, queues);
        ulong runs = after.RunCount - before.RunCount;
        if (runs < (ulong)count)
        {
            throw new InvalidOperationException($"{program.Label} ran {runs} times for {count} frames: is kernel.bpf_stats_enabled on?");
        }

        return ((after.RunTimeNanoseconds - before.RunTimeNanoseconds) / (double)runs, queues);
    }

    private void Drain(TapDevice device, long[] queues)
    {
        for (int q = 0; q < QueueCount; q++)
        {
            while (device.Queues[q].TryRead(_buffer, out _))
            {
                queues[q]++;
            }
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
