using System.Globalization;
using VnetHash.TapBenchmarks.Infrastructure;
using VnetHash.TapBenchmarks.Scenarios;

namespace VnetHash.TapBenchmarks;

/// <summary>
/// Kernel-side measurements on real TAP devices, each in a private network namespace (root only):
/// <c>ebpf-steering</c> (steering program cost per packet from the kernel's BPF run statistics) and
/// <c>tap-throughput</c> (frames per second through one queue with and without hash reports).
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: VnetHash.TapBenchmarks ebpf-steering [--packets N] [--rounds R] [--program LABEL=ID]...
               VnetHash.TapBenchmarks tap-throughput [--seconds S]
          --program LABEL=ID  also measure an already loaded socket-filter steering program, by kernel id
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("ebpf-steering" or "tap-throughput"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("needs root: it creates a network namespace, a TAP device and loads BPF programs");
            return 1;
        }

        if (PrivateNamespace.Current is null)
        {
            Console.WriteLine(Machine.Describe());
            if (args[0] == "ebpf-steering")
            {
                using var stats = new BpfStatsSwitch();
                return PrivateNamespace.RunInside(args);
            }

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
        int packets = 200_000, rounds = 5;
        double seconds = 3;
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
                case "--seconds":
                    seconds = double.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--program":
                    string[] parts = value.Split('=', 2);
                    external.Add(parts.Length == 2 && uint.TryParse(parts[1], CultureInfo.InvariantCulture, out uint id) ? (parts[0], id) : throw new FormatException($"--program takes LABEL=ID, got '{value}'"));
                    break;
                default:
                    throw new FormatException($"unknown option {args[i - 1]}");
            }
        }

        if (args[0] == "ebpf-steering")
        {
            new EbpfSteeringCost(packets, rounds, external).Run();
        }
        else
        {
            new TapThroughput(TimeSpan.FromSeconds(seconds)).Run();
        }
    }
}
