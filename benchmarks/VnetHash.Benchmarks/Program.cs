using BenchmarkDotNet.Running;
using VnetHash.Benchmarks.Toeplitz;

namespace VnetHash.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        if (args is [ToeplitzCpuTime.Command])
        {
            ToeplitzCpuTime.Run(Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
