using System.Diagnostics;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>The committed, embedded object must be exactly what bpf/build.sh makes from bpf/steering.bpf.c.</summary>
public sealed class SteeringObjectBuildTests
{
    // The committed object was built with this compiler; another version emits other (valid) code.
    private const string ClangVersion = "clang version 14.0.6";

    [SkippableFactWithReason]
    public void RebuildingTheProgramGivesTheCommittedObjectByteForByte()
    {
        string root = RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), $"vnethash-bpf-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            File.Copy(Path.Combine(root, "bpf", "steering.bpf.c"), Path.Combine(work, "steering.bpf.c"));
            File.Copy(Path.Combine(root, "bpf", "build.sh"), Path.Combine(work, "build.sh"));
            (int exit, string text) = Run("sh", Path.Combine(work, "build.sh"));
            Assert.True(exit == 0, text);
            Assert.Equal(File.ReadAllBytes(Path.Combine(root, "bpf", "steering.bpf.o")), File.ReadAllBytes(Path.Combine(work, "steering.bpf.o")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    internal static string? SkipReason()
    {
        string? root = FindRoot();
        if (root is null)
        {
            return "the repository's bpf/ folder is not above the test binaries";
        }

        try
        {
            (int exit, string text) = Run("clang", "--version");
            return exit != 0 ? "clang does not run"
                : !text.Contains(ClangVersion, StringComparison.Ordinal) ? $"the committed object was built with {ClangVersion}; this machine has {text.Split('\n')[0]}"
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "clang is not installed (apt-get install clang llvm)";
        }
    }

    private static string RepositoryRoot() => FindRoot() ?? throw new InvalidOperationException("bpf/ not found");

    private static string? FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "bpf", "steering.bpf.c")))
            {
                return d.FullName;
            }
        }

        return null;
    }

    private static (int Exit, string Text) Run(string file, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text);
    }

    /// <summary>Skips with the reason when clang 14 or the sources are not available.</summary>
    private sealed class SkippableFactWithReasonAttribute : FactAttribute
    {
        public SkippableFactWithReasonAttribute()
        {
            if (SkipReason() is { } reason)
            {
                Skip = reason;
            }
        }
    }
}
