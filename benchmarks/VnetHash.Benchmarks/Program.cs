using BenchmarkDotNet.Running;
using VnetHash.Benchmarks.FramePath;
using VnetHash.Benchmarks.Prediction;
using VnetHash.Benchmarks.Toeplitz;

namespace VnetHash.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        if (args is [ToeplitzCpuTime.Command, ..] && args.Length <= 2)
        {
            // An optional second argument keeps only the variants whose name contains it (the C peers always run).
            ToeplitzCpuTime.Run(Console.Out, args.Length == 2 ? args[1] : null);
            return;
        }

        if (args is [FramePathCpuTime.Command])
        {
            FramePathCpuTime.Run(Console.Out);
            return;
        }

        if (args is [PredictorCpuTime.Command])
        {
            PredictorCpuTime.Run(Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
