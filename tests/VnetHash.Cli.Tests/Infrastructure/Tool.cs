using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>Runs the installed <c>vnethash</c> (<see cref="InstalledTool"/>) as a separate process, as a user would.</summary>
internal static partial class Tool
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWithInput((byte[]?)null, args);

    public static Result RunWithInput(string? stdin, params string[] args) =>
        RunWithInput(stdin is null ? null : System.Text.Encoding.UTF8.GetBytes(stdin), args);

    public static Result RunWithInput(byte[]? stdin, params string[] args)
    {
        using Running running = Start(null, stdin, args);
        return running.WaitForExit(Limit);
    }

    /// <summary>Runs the tool as another user (setpriv(1), so only root can), for what an unprivileged user sees.</summary>
    public static Result RunAs(int uid, params string[] args)
    {
        using Running running = Start(uid, null, args);
        return running.WaitForExit(Limit);
    }

    /// <summary>Starts the tool and leaves it running, for tests that signal it or act while it runs.</summary>
    public static Running Start(params string[] args) => Start(null, null, args);

    private static Running Start(int? uid, byte[]? stdin, string[] args)
    {
        string executable = InstalledTool.Instance.Executable;
        var info = new ProcessStartInfo(uid is null ? executable : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (uid is int id)
        {
            foreach (string arg in new[] { $"--reuid={id}", $"--regid={id}", "--clear-groups", executable })
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new Running(Process.Start(info)!, stdin, args);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>A tool process still running; disposing it kills it if it has not ended.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;
        private readonly string[] _args;

        internal Running(Process process, byte[]? stdin, string[] args)
        {
            _process = process;
            _args = args;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
        }

        public bool HasExited => _process.HasExited;

        /// <summary>Sends <paramref name="signal"/> (kill(2)) to the tool's process only.</summary>
        public void Signal(int signal)
        {
            if (Kill(_process.Id, signal) != 0)
            {
                throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        public Result WaitForExit(TimeSpan limit)
        {
            if (!_process.WaitForExit(limit))
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"vnethash {string.Join(' ', _args)} did not finish in {limit}");
            }

            return new Result(_process.ExitCode, _stdout.Result, _stderr.Result);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
