namespace VnetHash.Tests.Hashing;

/// <summary>
/// The ARM64 carry-less path (PMULL, PMULL2 and TBL in place of PCLMULQDQ and PSHUFB) on an ARM64 CPU, which no x64
/// run executes: tests/VnetHash.ToeplitzCheck, published self-contained for linux-arm64, runs under qemu's user-mode
/// emulation of a CPU with every ARMv8 extension and holds every path the runtime offers there to the bitwise
/// definition (<see cref="ToeplitzReference"/>), the public vectors and the Table path's frame hashes. Emulation checks
/// what the code computes, not how fast: no timing here means anything.
/// </summary>
public sealed class Arm64ToeplitzTests(Arm64Checker arm64) : IClassFixture<Arm64Checker>
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";
    private const string Sysroot = "/usr/aarch64-linux-gnu";

    private static string SkipReason =>
        !File.Exists(Qemu) ? $"{Qemu} is absent: install the Debian package qemu-user-static (./test.sh does as root)"
        : !File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")) ? $"{Sysroot} has no ARM64 C library: install libc6-arm64-cross, libstdc++6-arm64-cross and libgcc-s1-arm64-cross (./test.sh does as root)"
        : "";

    [SkippableFact]
    public void The_pmull_path_equals_the_definition_on_every_input_length_offset_batch_and_frame()
    {
        Skip.IfNot(SkipReason.Length == 0, SkipReason);

        (int exitCode, string output) = Run("clmul");

        Assert.True(exitCode == 0, output);
        Assert.Contains("architecture: Arm64", output);
        Assert.Contains("CarrylessMultiply supported: True", output);
        Assert.Matches(@"(?m)^CarrylessMultiply: \d{4,} hashes checked, 0 differ$", output);
        Assert.Matches(@"(?m)^Table: \d{4,} hashes checked, 0 differ$", output);
        Assert.Matches(@"(?m)^Auto \(.*\): \d{4,} hashes checked, 0 differ$", output);
        Assert.Contains("all equal", output);
    }

    [SkippableFact]
    public void Without_pmull_auto_takes_table_and_forcing_the_path_names_what_it_needs()
    {
        Skip.IfNot(SkipReason.Length == 0, SkipReason);

        (int exitCode, string output) = Run("no-clmul", ("DOTNET_EnableArm64Aes", "0"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("CarrylessMultiply supported: False", output);
        Assert.Contains(
            "forcing CarrylessMultiply: The CarrylessMultiply Toeplitz path needs PMULL (the ARMv8 Cryptographic Extension), which the runtime does not offer here: this CPU lacks it, or a DOTNET_EnableArm64Aes setting switched it off.",
            output);
        Assert.Matches(@"(?m)^Auto \(Hash12 Table, Hash36 Table, HashOther Table, Batch12 Table, Batch36 Table\): \d{4,} hashes checked, 0 differ$", output);
        Assert.DoesNotMatch(@"(?m)^CarrylessMultiply:", output);
    }

    private (int ExitCode, string Output) Run(string mode, params (string Name, string Value)[] environment) =>
        ToeplitzCheckProgram.Run([Qemu, "-cpu", "max", "-L", Sysroot, arm64.Checker], mode, environment);
}
