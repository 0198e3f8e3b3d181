using System.Diagnostics;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>Runs a program other than the tool (ip, tcpdump, setpriv, unshare) and collects what it wrote.</summary>
internal static class Command
{
    public static Tool.Result Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 2 minutes");
        }

        return new Tool.Result(process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Runs <paramref name="command"/> inside network namespace <paramref name="netns"/> (ip netns exec).</summary>
    public static Tool.Result RunIn(string netns, params string[] command) => Run("ip", ["netns", "exec", netns, .. command]);
}
