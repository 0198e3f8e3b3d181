using System.Diagnostics;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>Runs the system's <c>ip</c> and <c>sysctl</c> (the host's binaries, visible inside the series kernel).</summary>
internal static class Shell
{
    /// <summary>Runs a command and throws with its output when it fails.</summary>
    public static string Run(params string[] command)
    {
        (int code, string output) = TryRun(command);
        if (code != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' exited with {code}: {output.Trim()}");
        }

        return output;
    }

    /// <summary>Runs a command and returns its exit code and combined output.</summary>
    public static (int Code, string Output) TryRun(params string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.AsSpan(1))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }

    /// <summary>Turns IPv6 off on an interface, so it sends no router solicitations or neighbour discovery.</summary>
    public static void DisableIPv6(string interfaceName) => Run("sysctl", "-qw", $"net.ipv6.conf.{interfaceName}.disable_ipv6=1");

    /// <summary>New interfaces start with IPv6 off.</summary>
    public static void DisableIPv6ByDefault()
    {
        Run("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
    }

    /// <summary>Deletes a link the way the series' selftests do (rtnetlink through <c>ip</c>).</summary>
    public static void DeleteLink(string interfaceName) => Run("ip", "link", "del", interfaceName);

    /// <summary>Whether a link of that name exists.</summary>
    public static bool HasLink(string interfaceName) => TryRun("ip", "link", "show", interfaceName).Code == 0;
}
