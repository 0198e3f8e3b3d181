using System.Diagnostics;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>Runs the built tool as a separate process, as a user would.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result RunWithInput(string? stdin, params string[] args) => Start(null, stdin, args);

    public static Result Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs the tool as another user (setpriv(1), so only root can), for what an unprivileged user sees.</summary>
    public static Result RunAs(int uid, params string[] args) => Start(uid, null, args);

    private static Result Start(int? uid, string? stdin, string[] args)
    {
        var info = new ProcessStartInfo(uid is null ? "dotnet" : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (uid is int id)
        {
            foreach (string arg in new[] { $"--reuid={id}", $"--regid={id}", "--clear-groups", "dotnet" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        info.ArgumentList.Add(TestFiles.ToolAssembly);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vnethash {string.Join(' ', args)} did not finish");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
