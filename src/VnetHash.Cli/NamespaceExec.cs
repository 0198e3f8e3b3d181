using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VnetHash.Cli;

/// <summary>
/// Runs the whole tool again under <c>ip netns exec NS</c>. setns(2) moves only the calling thread and the
/// runtime has many, so re-executing is the way to put every thread, and every device the command creates,
/// inside the namespace.
/// </summary>
internal static partial class NamespaceExec
{
    // Set in the re-executed child so that it does not enter the namespace a second time.
    private const string InsideVariable = "VNETHASH_INSIDE_NETNS";

    // Where ip-netns(8) keeps the named namespaces it creates.
    private const string NamedNamespaces = "/run/netns";

    private const int SigTerm = 15;

    // ip netns exec's own failures (no such namespace, no privilege to enter it); vnethash never exits with it.
    private const int IpFailure = 255;

    /// <summary>Whether a command given <paramref name="netns"/> still has to move into it.</summary>
    public static bool MustEnter(string? netns) => netns is not null && Environment.GetEnvironmentVariable(InsideVariable) != netns;

    /// <summary>
    /// Runs this process's command line inside <paramref name="netns"/> and returns the child's exit code. A
    /// signal that stops this process (<paramref name="token"/>) is passed on to the child, which then stops as
    /// it would on its own.
    /// </summary>
    public static async Task<int> RunInsideAsync(string netns, TextWriter stderr, CancellationToken token)
    {
        if (netns.Contains('/', StringComparison.Ordinal) || !File.Exists(Path.Combine(NamedNamespaces, netns)))
        {
            await stderr.WriteLineAsync($"error: --netns: network namespace '{netns}' does not exist ('ip netns list' shows those that do; 'ip netns add {netns}' creates it)").ConfigureAwait(false);
            return (int)ExitCode.SystemError;
        }

        var info = new ProcessStartInfo("ip") { UseShellExecute = false };
        info.ArgumentList.Add("netns");
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(netns);
        foreach (string arg in OwnCommandLine())
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
            await stderr.WriteLineAsync($"error: --netns: cannot run 'ip netns exec {netns}': {e.Message} (ip comes with iproute2)").ConfigureAwait(false);
            return (int)ExitCode.SystemError;
        }

        using (process)
        {
            // ip execs the tool in place, so the child's pid is the tool's own. Ctrl-C in a terminal reaches both
            // through the process group; a signal sent to this process alone is passed on.
            using CancellationTokenRegistration forward = token.Register(() => _ = Kill(process.Id, SigTerm));
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (process.ExitCode == IpFailure)
            {
                await stderr.WriteLineAsync($"error: --netns: could not enter network namespace '{netns}' (entering one needs root or CAP_SYS_ADMIN)").ConfigureAwait(false);
                return (int)ExitCode.SystemError;
            }

            return process.ExitCode;
        }
    }

    /// <summary>
    /// The program and arguments that started this process. Run as <c>dotnet VnetHash.Cli.dll</c> the first
    /// argument is the assembly and the host needs it again; run through the installed tool's own executable
    /// (an apphost) the assembly is implied and passing it would make it a command-line argument.
    /// </summary>
    private static IEnumerable<string> OwnCommandLine()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        string[] args = Environment.GetCommandLineArgs();
        yield return host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            yield return args[0];
        }

        foreach (string arg in args.Skip(1))
        {
            yield return arg;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
