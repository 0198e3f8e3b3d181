using System.Diagnostics;
using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>
/// The tool as a user gets it: <c>dotnet pack</c> of the built tool project, then <c>dotnet tool install
/// --tool-path</c> from that package, once per test run. Every path is unique to the run, so two copies of the
/// suite can run side by side, and the install reads only the freshly packed package (the tool's dependencies
/// travel inside it), never a package feed.
/// </summary>
internal sealed class InstalledTool
{
    private const string Prefix = "vnethash-tool-";

    private static readonly Lazy<InstalledTool> Shared = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    private InstalledTool(string root, string executable)
    {
        Root = root;
        Executable = executable;
    }

    /// <summary>The tool installed for this test run.</summary>
    public static InstalledTool Instance => Shared.Value;

    /// <summary>The run's private directory: package, tool path and nothing else.</summary>
    public string Root { get; }

    /// <summary>The installed <c>vnethash</c> command.</summary>
    public string Executable { get; }

    private static InstalledTool Install()
    {
        // Readable by every user, so a test can run the tool as an unprivileged one. Named with this process's id: a
        // test host the test platform kills (as it kills one slow to exit) runs no exit handler, so each run removes
        // the installs of runs whose process is gone (about 200 MB each).
        RemoveInstallsOfEndedRuns();
        DirectoryInfo root = ReachableTemp.Create($"{Prefix}{Environment.ProcessId}-");
        root.UnixFileMode |= UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(root.FullName);

        string packages = Path.Combine(root.FullName, "nupkg");
        string toolPath = Path.Combine(root.FullName, "bin");
        string config = Path.Combine(root.FullName, "nuget.config");
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);

        // The tool project is built by the test project's own build, in the same configuration; pack only
        // packages it. The nuspec goes to the run's directory; what else pack writes into the project's obj/ and bin/
        // is written under the lock, because the package tests pack the same project.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string project = Path.Combine(Repository.ToolProjectDirectory, "VnetHash.Cli.csproj");
        using (ToolPackLock.Take())
        {
            Dotnet("pack", project, "-c", configuration, "--no-build", "-nologo", "-o", packages, $"-p:NuspecOutputPath={Path.Combine(root.FullName, "nuspec")}/");
        }

        Dotnet("tool", "install", "--tool-path", toolPath, "--configfile", config, "--add-source", packages, "VnetHash.Tool");

        // The package itself is no longer needed; the tool path holds the installed copy.
        Directory.Delete(packages, recursive: true);
        string executable = Path.Combine(toolPath, "vnethash");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"dotnet tool install left no {executable}");
        }

        return new InstalledTool(root.FullName, executable);
    }

    private static void Dotnet(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        (int exitCode, string stdout, string stderr) = ProcessProgress.RunToEnd(info);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {exitCode}:\n{stdout}\n{stderr}");
        }
    }

    private static void RemoveInstallsOfEndedRuns()
    {
        foreach (string directory in Directory.EnumerateDirectories(ReachableTemp.Base, $"{Prefix}*"))
        {
            string[] parts = Path.GetFileName(directory)[Prefix.Length..].Split('-', 2);
            if (parts.Length == 2 && int.TryParse(parts[0], out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                Remove(directory);
            }
        }
    }

    private static void Remove(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still open elsewhere, or another user's directory, is left to the temp cleaner.
        }
    }
}
