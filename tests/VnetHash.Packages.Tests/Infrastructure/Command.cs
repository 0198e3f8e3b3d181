using System.Diagnostics;
using VnetHash.TestSupport;

namespace VnetHash.Packages.Tests.Infrastructure;

/// <summary>Runs a program to its end and keeps what it printed.</summary>
public static class Command
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    /// <summary>
    /// Runs <paramref name="program"/>, with <paramref name="environment"/> added to this process's environment; it is
    /// given up when it stops making progress for <paramref name="stallLimit"/> (default 5 minutes).
    /// </summary>
    public static Result Run(
        string program, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? stallLimit = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The packing and publishing runs must not inherit the test host's MSBuild node or its environment.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";

        // Build nodes stay children of the command, so its progress is measured whole and none outlives it.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        (int exitCode, string output, string error) = ProcessProgress.RunToEnd(info, stallLimit);
        return new Result(exitCode, output, error);
    }
}
