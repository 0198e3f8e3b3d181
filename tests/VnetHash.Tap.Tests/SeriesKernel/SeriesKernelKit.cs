using System.Diagnostics;
using System.Text.Json;
using VnetHash.Tap.Tests.Infrastructure;

using VnetHash.TestSupport;

namespace VnetHash.Tap.Tests.SeriesKernel;

/// <summary>
/// The series kernel (User-Mode Linux with "tun: Introduce virtio-net hashing feature", v5 or v12) at
/// <c>../shared/series-kernel/run</c> from the repository root, and the scenario runner built with this project.
/// </summary>
internal static class SeriesKernelKit
{
    /// <summary>The folder holding VnetHash.slnx, or null when the tests run outside the repository.</summary>
    public static string? RepositoryRoot { get; } = Repository.TryFindRoot();

    /// <summary>The kit's run script, or null when it is absent.</summary>
    public static string? RunScript { get; } = RepositoryRoot is { } root && File.Exists(Path.Combine(root, "..", "shared", "series-kernel", "run"))
        ? Path.GetFullPath(Path.Combine(root, "..", "shared", "series-kernel", "run"))
        : null;

    /// <summary>Why the series-kernel tests cannot run here, or null when they can.</summary>
    public static string? SkipReason { get; } = RunScript is null
        ? "the series kernel is absent: no ../shared/series-kernel/run next to the repository (a clone outside the team's workspace has none)"
        : !RootFactAttribute.IsRoot
            ? "needs root: the series kernel runs its command as the caller, and the scenarios create tun devices, bridges and macvtaps"
            : null;

    /// <summary>
    /// Runs one runner scenario inside the series kernel of generation <paramref name="abi"/> and returns its exit
    /// code and the JSON result lines it printed.
    /// </summary>
    public static ScenarioRun Run(string scenario, string abi)
    {
        string runner = RunnerPath();
        var start = new ProcessStartInfo(RunScript!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot!,
        };
        foreach (string argument in new[] { "--abi", abi, "-t", "300", "--", DotnetHost(), runner, scenario, "--expect", abi })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {RunScript}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lines = new List<JsonElement>();
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("{\"scenario\"", StringComparison.Ordinal))
            {
                using JsonDocument document = JsonDocument.Parse(line);
                lines.Add(document.RootElement.Clone());
            }
        }

        return new ScenarioRun(scenario, abi, process.ExitCode, lines, output + error.GetAwaiter().GetResult());
    }

    private static string RunnerPath()
    {
        // The runner is built with this project (a project reference without its assembly), in the same configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        string path = Path.Combine(RepositoryRoot!, "tests", "VnetHash.SeriesKernel.Runner", "bin", configuration, framework, "VnetHash.SeriesKernel.Runner.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the scenario runner was not built at {path}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
