using System.Runtime.Intrinsics.X86;
using VnetHash.Cli.Benchmarks;

namespace VnetHash.Benchmarks;

/// <summary>What a result line needs to say about where it was measured: CPU, instruction sets, load, runtime.</summary>
internal static class MachineDescription
{
    public static string Describe()
    {
        string[] cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        int[] cpus = CpuRotation.AllowedCpus();
        string rounds = cpus.Length > 1 ? $"timed rounds taken in turn on CPUs {string.Join(", ", cpus)}" : "timed rounds on one CPU";
        return $"CPU: {Field("model name")} (family {Field("cpu family")}, model {Field("model\t")}), {Environment.ProcessorCount} logical CPUs, {rounds}; "
            + $"runtime reports GFNI {Gfni.IsSupported}, AVX-512BW {Avx512BW.IsSupported}, AVX-512 VBMI {Avx512Vbmi.IsSupported}, "
            + $"VPCLMULQDQ {Pclmulqdq.V256.IsSupported}; load average {load}; .NET {Environment.Version}.";
    }
}
