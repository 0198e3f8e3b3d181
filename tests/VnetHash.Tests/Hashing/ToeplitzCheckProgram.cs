using System.Diagnostics;
using VnetHash.Tests.Vectors;
using VnetHash.TestSupport;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// tests/VnetHash.ToeplitzCheck as the tests run it, for a process this test process cannot be: its framework-dependent
/// build beside this one's (to start with other runtime settings), or published self-contained for linux-arm64 (to
/// start under emulation). It is given the public vectors and prints what it checked.
/// </summary>
internal static class ToeplitzCheckProgram
{
    /// <summary>The checker built with the solution, in this test's configuration; run it with <c>dotnet</c>.</summary>
    public static string BuiltAssembly =>
        Path.Combine(Repository.FindRoot(), "tests", "VnetHash.ToeplitzCheck", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "VnetHash.ToeplitzCheck.dll");

    /// <summary>Runs <paramref name="command"/> (the program and its first arguments), then the mode and the vectors' file.</summary>
    public static (int ExitCode, string Output) Run(string[] command, string mode, params (string Name, string Value)[] environment)
    {
        string vectors = Path.Combine(Path.GetTempPath(), $"vnethash-vectors-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(vectors, PublicVector.All.Where(v => v.InputHex is not null).Select(v => $"{v.KeyHex} {v.InputHex} {v.ExpectedHashHex}"));
        try
        {
            var info = new ProcessStartInfo(command[0]);
            foreach (string arg in command.Skip(1).Append(mode).Append(vectors))
            {
                info.ArgumentList.Add(arg);
            }

            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }

            (int exitCode, string output, string error) = ProcessProgress.RunToEnd(info);
            return (exitCode, output + error);
        }
        finally
        {
            File.Delete(vectors);
        }
    }

    /// <summary>Publishes the checker self-contained for linux-arm64 under <paramref name="root"/>; returns the executable.</summary>
    internal static string PublishForArm64(string root)
    {
        string project = Path.Combine(Repository.FindRoot(), "tests", "VnetHash.ToeplitzCheck", "VnetHash.ToeplitzCheck.csproj");
        var info = new ProcessStartInfo("dotnet");
        foreach (string arg in new[] { "publish", project, "-c", "Release", "-r", "linux-arm64", "--self-contained", "--artifacts-path", Path.Combine(root, "artifacts"), "-o", Path.Combine(root, "out"), "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        (int exitCode, string output, string error) = ProcessProgress.RunToEnd(info);
        string checker = Path.Combine(root, "out", "VnetHash.ToeplitzCheck");
        if (exitCode != 0 || !File.Exists(checker))
        {
            throw new InvalidOperationException($"dotnet publish of the checker for linux-arm64 exited with {exitCode}:\n{output}{error}");
        }

        return checker;
    }
}

/// <summary>
/// The checker published self-contained for linux-arm64: once, at its first use, into a directory of its own that
/// goes when the fixture is disposed (the test host may be ended before a process-exit handler would run).
/// </summary>
public sealed class Arm64Checker : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vnethash-toeplitz-check-").FullName;
    private readonly Lazy<string> _checker;

    public Arm64Checker() => _checker = new(() => ToeplitzCheckProgram.PublishForArm64(_root), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The published checker, an ARM64 executable.</summary>
    public string Checker => _checker.Value;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
