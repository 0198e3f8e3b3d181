using System.Diagnostics;

namespace VnetHash.TapBenchmarks.Infrastructure;

/// <summary>
/// Runs a scenario in a network namespace of its own: the process creates a uniquely named namespace, runs
/// itself again inside it (<c>ip netns exec</c>) and always deletes it afterwards. Interfaces, sockets and
/// traffic exist only in that namespace; the host's interfaces are never touched.
/// </summary>
internal static class PrivateNamespace
{
    private const string InsideVariable = "VNETHASH_BENCH_NETNS";

    /// <summary>The namespace this process runs in, or null outside one made by <see cref="RunInside"/>.</summary>
    public static string? Current => Environment.GetEnvironmentVariable(InsideVariable);

    /// <summary>Runs this program with <paramref name="arguments"/> in a new namespace; returns its exit code.</summary>
    public static int RunInside(IReadOnlyList<string> arguments)
    {
        string name = $"vnhbench-{Environment.ProcessId}";
        Run("ip", "netns", "add", name);
        try
        {
            var start = new ProcessStartInfo("ip") { UseShellExecute = false };
            foreach (string part in (string[])["netns", "exec", name, .. SelfCommand(), .. arguments])
            {
                start.ArgumentList.Add(part);
            }

            start.Environment[InsideVariable] = name;
            using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start the measurement process");

            // Ctrl-C reaches the child too; this process waits for it and still deletes the namespace.
            ConsoleCancelEventHandler keep = (_, e) => e.Cancel = true;
            Console.CancelKeyPress += keep;
            child.WaitForExit();
            Console.CancelKeyPress -= keep;
            return child.ExitCode;
        }
        finally
        {
            Run("ip", "netns", "del", name);
        }
    }

    /// <summary>Turns IPv6 off for interfaces created from now on, and on one existing interface when named.</summary>
    public static void DisableIPv6(string interfaceName = "default") =>
        File.WriteAllText($"/proc/sys/net/ipv6/conf/{interfaceName}/disable_ipv6", "1");

    private static string[] SelfCommand()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown");
        string entry = typeof(PrivateNamespace).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, entry] : [process];
    }

    private static void Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string part in command.Skip(1))
        {
            start.ArgumentList.Add(part);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
