using System.ComponentModel;
using System.Diagnostics;

namespace VnetHash.Cli;

/// <summary>
/// Runs the whole tool again under <c>ip netns exec NS</c>. setns(2) moves only the calling thread and the
/// runtime has many, so re-executing is the way to put every thread, and every device the command creates,
/// inside the namespace.
/// </summary>
internal static class NamespaceExec
{
    // Set in the re-executed child so that it does not enter the namespace a second time.
    private const string InsideVariable = "VNETHASH_INSIDE_NETNS";

    /// <summary>Whether a command given <paramref name="netns"/> still has to move into it.</summary>
    public static bool MustEnter(string? netns) => netns is not null && Environment.GetEnvironmentVariable(InsideVariable) != netns;

    /// <summary>Runs this process's command line inside <paramref name="netns"/> and returns the child's exit code.</summary>
    public static async Task<int> RunInsideAsync(string netns, TextWriter stderr)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false };
        info.ArgumentList.Add("netns");
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(netns);
        info.ArgumentList.Add(Environment.ProcessPath ?? "dotnet");
        string[] args = Environment.GetCommandLineArgs();
        if (args[0].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(args[0]);
        }

        foreach (string arg in args.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[InsideVariable] = netns;
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            stderr.WriteLine($"error: cannot run 'ip netns exec {netns}': {e.Message}");
            return (int)ExitCode.SystemError;
        }

        using (process)
        {
            // Ctrl-C reaches the child through the terminal's process group; wait for it to print its report.
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return process.ExitCode;
        }
    }
}
