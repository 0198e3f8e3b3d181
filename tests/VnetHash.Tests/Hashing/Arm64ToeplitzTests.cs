using System.Diagnostics;
using VnetHash.Tests.Vectors;
using VnetHash.TestSupport;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// The ARM64 carry-less path (PMULL, PMULL2 and TBL in place of PCLMULQDQ and PSHUFB) on an ARM64 CPU, which no x64
/// run executes: tests/VnetHash.Arm64Check, published self-contained for linux-arm64, runs under qemu's user-mode
/// emulation of a CPU with every ARMv8 extension and holds every path the runtime offers there to the bitwise
/// definition (<see cref="ToeplitzReference"/>), the public vectors and the Table path's frame hashes. Emulation checks
/// what the code computes, not how fast: no timing here means anything.
/// </summary>
public sealed class Arm64ToeplitzTests
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";
    private const string Sysroot = "/usr/aarch64-linux-gnu";

    private static readonly Lazy<string> Checker = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string SkipReason =>
        !File.Exists(Qemu) ? $"{Qemu} is absent: install the Debian package qemu-user-static (./test.sh does as root)"
        : !File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")) ? $"{Sysroot} has no ARM64 C library: install libc6-arm64-cross, libstdc++6-arm64-cross and libgcc-s1-arm64-cross (./test.sh does as root)"
        : "";

    [SkippableFact]
    public void The_pmull_path_equals_the_definition_on_every_input_length_offset_batch_and_frame()
    {
        Skip.IfNot(SkipReason.Length == 0, SkipReason);

        (int exitCode, string output) = Run("pmull");

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

        (int exitCode, string output) = Run("no-pmull", ("DOTNET_EnableArm64Aes", "0"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("CarrylessMultiply supported: False", output);
        Assert.Contains(
            "forcing CarrylessMultiply: The CarrylessMultiply Toeplitz path needs PMULL (the ARMv8 Cryptographic Extension), which the runtime does not offer here: this CPU lacks it, or a DOTNET_EnableArm64Aes setting switched it off.",
            output);
        Assert.Matches(@"(?m)^Auto \(Hash12 Table, Hash36 Table, HashOther Table, Batch12 Table, Batch36 Table\): \d{4,} hashes checked, 0 differ$", output);
        Assert.DoesNotMatch(@"(?m)^CarrylessMultiply:", output);
    }

    private static (int ExitCode, string Output) Run(string mode, params (string Name, string Value)[] environment)
    {
        string checker = Checker.Value;
        string vectors = Path.Combine(Path.GetDirectoryName(checker)!, "..", $"vectors-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(vectors, PublicVector.All.Where(v => v.InputHex is not null).Select(v => $"{v.KeyHex} {v.InputHex} {v.ExpectedHashHex}"));
        try
        {
            var info = new ProcessStartInfo(Qemu) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { "-cpu", "max", "-L", Sysroot, checker, mode, vectors })
            {
                info.ArgumentList.Add(arg);
            }

            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }

            return RunToEnd(info);
        }
        finally
        {
            File.Delete(vectors);
        }
    }

    // Published once per test run into a directory of its own (build outputs included), removed when the run ends.
    private static string Publish()
    {
        string root = Directory.CreateTempSubdirectory("vnethash-arm64-check-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        string project = Path.Combine(Repository.FindRoot(), "tests", "VnetHash.Arm64Check", "VnetHash.Arm64Check.csproj");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "publish", project, "-c", "Release", "-r", "linux-arm64", "--self-contained", "--artifacts-path", Path.Combine(root, "artifacts"), "-o", Path.Combine(root, "out"), "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        (int exitCode, string output) = RunToEnd(info);
        string checker = Path.Combine(root, "out", "VnetHash.Arm64Check");
        if (exitCode != 0 || !File.Exists(checker))
        {
            throw new InvalidOperationException($"dotnet publish of the ARM64 checker exited with {exitCode}:\n{output}");
        }

        return checker;
    }

    private static (int ExitCode, string Output) RunToEnd(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!ProcessProgress.WaitForExit(process))
        {
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} {ProcessProgress.Why()}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
