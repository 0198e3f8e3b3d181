using System.Runtime.Intrinsics.X86;
using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// The 256-bit GFNI tuple kernels as a CPU with GFNI and AVX2 but without AVX-512 runs them (Intel from Alder Lake,
/// the E-core Xeons): only there are they inlined into <c>Hash</c> and the frame path. This test process has AVX-512
/// where the CPU does, so tests/VnetHash.ToeplitzCheck runs with AVX-512 switched off in its runtime and holds the
/// Gfni256 path, Auto and the frames they hash to the bitwise definition, the public vectors and Table's frame hashes.
/// </summary>
public sealed class Gfni256TupleKernelTests
{
    [SkippableFact]
    public void Without_avx512_the_inlined_256_bit_gfni_kernels_equal_the_definition()
    {
        Skip.IfNot(
            X86Base.IsSupported && ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni256) && ToeplitzKey.IsSupported(ToeplitzImplementation.CarrylessMultiply),
            "needs an x64 runtime with GFNI, AVX2 and PCLMULQDQ");

        // The path override cleared, so that Auto measures in the child whatever this process was started with.
        (int exitCode, string output) = ToeplitzCheckProgram.Run(
            ["dotnet", ToeplitzCheckProgram.BuiltAssembly], "clmul", ("DOTNET_EnableAVX512", "0"), ("VNETHASH_TOEPLITZ", ""));

        // Gfni256 without Gfni512 is where the library inlines the 256-bit kernels.
        Assert.True(exitCode == 0, output);
        Assert.Contains("Gfni256 supported: True", output);
        Assert.Contains("Gfni512 supported: False", output);
        Assert.Matches(@"(?m)^Gfni256: \d{4,} hashes checked, 0 differ$", output);
        Assert.Matches(@"(?m)^Auto \(.*\): \d{4,} hashes checked, 0 differ$", output);
        Assert.Contains("all equal", output);
    }
}
