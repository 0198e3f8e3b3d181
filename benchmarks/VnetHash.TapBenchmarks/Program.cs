using System.Globalization;
using VnetHash.Tap.Reading;
using VnetHash.TapBenchmarks.Infrastructure;
using VnetHash.TapBenchmarks.Scenarios;

namespace VnetHash.TapBenchmarks;

/// <summary>
/// Kernel-side measurements on real TAP devices (root only): <c>ebpf-steering</c> (steering program cost per packet
/// from the kernel's BPF run statistics, in a private network namespace of its own) and <c>tap-read</c> (a reader
/// that <c>benchmarks/tap-read/measure.sh</c> runs in its namespace and floods from outside).
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: VnetHash.TapBenchmarks ebpf-steering [--packets N] [--rounds R] [--program LABEL=ID]...
               VnetHash.TapBenchmarks tap-read [--ifname IF] [--queues N] [--io uring|poll] [--report none|ebpf]
          --program LABEL=ID  also measure an already loaded socket-filter steering program, by kernel id
          tap-read            reads until SIGINT in the current namespace: run it inside one (measure.sh does)
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("ebpf-steering" or "tap-read"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("needs root: it creates a network namespace, a TAP device and loads BPF programs");
            return 1;
        }

        if (PrivateNamespace.Current is null && args[0] == "ebpf-steering")
        {
            Console.WriteLine(Machine.Describe());
            using var stats = new BpfStatsSwitch();
            return PrivateNamespace.RunInside(args);
        }

        try
        {
            Run(args);
            return 0;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"{e.Message}\n{Usage}");
            return 2;
        }
    }

    private static void Run(string[] args)
    {
        int packets = 200_000, rounds = 5, queues = 1;
        string name = "vnhread0", io = "uring", report = "none";
        var external = new List<(string, uint)>();
        for (int i = 1; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i++])
            {
                case "--packets":
                    packets = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--rounds":
                    rounds = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--program":
                    string[] parts = value.Split('=', 2);
                    external.Add(parts.Length == 2 && uint.TryParse(parts[1], CultureInfo.InvariantCulture, out uint id) ? (parts[0], id) : throw new FormatException($"--program takes LABEL=ID, got '{value}'"));
                    break;
                case "--ifname":
                    name = value;
                    break;
                case "--queues":
                    queues = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--io" when value is "uring" or "poll":
                    io = value;
                    break;
                case "--report" when value is "none" or "ebpf":
                    report = value;
                    break;
                default:
                    throw new FormatException($"unknown option or value {args[i - 1]} {value}");
            }
        }

        if (args[0] == "ebpf-steering")
        {
            new EbpfSteeringCost(packets, rounds, external).Run();
        }
        else
        {
            new TapRead(name, queues, io == "uring" ? ReaderEngine.IoUring : ReaderEngine.PollRead, report == "ebpf").Run();
        }
    }
}
