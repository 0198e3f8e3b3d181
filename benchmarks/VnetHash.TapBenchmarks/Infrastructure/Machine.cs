using System.Runtime.InteropServices;

namespace VnetHash.TapBenchmarks.Infrastructure;

/// <summary>The facts a measurement is only meaningful with: CPU, kernel, runtime.</summary>
internal static class Machine
{
    public static string Describe()
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        string kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return $"machine: {cpu}, {Environment.ProcessorCount} CPUs, Linux {kernel}, {RuntimeInformation.FrameworkDescription}";
    }
}
