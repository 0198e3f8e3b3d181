using System.Runtime.Intrinsics.X86;
using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// The 128-bit carry-less kernels on x64: what a CPU with PCLMULQDQ but without VPCLMULQDQ or AVX2 runs, and the Native
/// AOT build everywhere (it targets a baseline without AVX2). This test process has the 256-bit kernels where the CPU
/// does, so tests/VnetHash.ToeplitzCheck runs with AVX2 switched off in its runtime and holds every path to the
/// bitwise definition, the public vectors and the Table path's frame hashes.
/// </summary>
public sealed class NarrowCarrylessMultiplyTests
{
    [SkippableFact]
    public void Without_avx2_the_128_bit_kernels_equal_the_definition()
    {
        Skip.IfNot(X86Base.IsSupported && ToeplitzKey.CpuReports(ToeplitzImplementation.CarrylessMultiply), "needs an x64 CPU with PCLMULQDQ, SSSE3 and SSE4.1");

        (int exitCode, string output) = ToeplitzCheckProgram.Run(["dotnet", ToeplitzCheckProgram.BuiltAssembly], "clmul", ("DOTNET_EnableAVX2", "0"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("architecture: X64", output);
        Assert.Contains("CarrylessMultiply supported: True", output);
        Assert.Contains("256-bit carry-less kernels: False", output);
        Assert.Matches(@"(?m)^CarrylessMultiply: \d{4,} hashes checked, 0 differ$", output);
        Assert.Contains("all equal", output);
    }
}
