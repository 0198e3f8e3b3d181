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

    /// <summary>Runs the tool with these environment variables set (an empty value removes the variable).</summary>
    public static Result RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using Running running = Start(null, null, args, environment);
        return running.WaitForExit(Limit);
    }

    /// <summary>
    /// Runs the tool on a pseudo-terminal through script(1), as a user at a terminal runs it, with these environment
    /// variables (an empty value removes one). Stdout is what the terminal showed, stderr among it.
    /// </summary>
    public static Result RunOnTerminal(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // script(1) runs the command through $SHELL -c: a POSIX shell, for the quoting.
        string command = string.Join(' ', args.Prepend(InstalledTool.Instance.Executable).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var withShell = new Dictionary<string, string>(environment) { ["SHELL"] = "/bin/sh" };
        using Running running = Start(null, null, args, withShell, ["script", "--quiet", "--return", "--command", command, "/dev/null"]);
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

    private static Running Start(int? uid, byte[]? stdin, string[] args, IReadOnlyDictionary<string, string>? environment = null, string[]? launcher = null)
    {
        string executable = InstalledTool.Instance.Executable;
        // Through env(1), which restores the default action of the signals the tests send: a suite started as a
        // background job (nohup, `&` in a script) hands SIGINT down ignored, and the tool, like any Unix program,
        // keeps a signal ignored that it was started with ignored. A user's shell starts it with SIGINT in force.
        var info = new ProcessStartInfo(uid is null ? "env" : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // env's or setpriv's options, then the tool and its arguments, or a launcher whose command runs them.
        string[] options = uid is int id ? [$"--reuid={id}", $"--regid={id}", "--clear-groups"] : ["--default-signal=INT,TERM,QUIT"];
        foreach (string arg in options.Concat(launcher ?? [executable, .. args]))
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
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
        private readonly Task _stderr;
        private readonly System.Text.StringBuilder _stderrText = new();
        private readonly string[] _args;

        internal Running(Process process, byte[]? stdin, string[] args)
        {
            _process = process;
            _args = args;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = PumpAsync(process.StandardError);
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

        /// <summary>Waits until the tool has written <paramref name="text"/> to stderr (for instance that it is ready), while it runs.</summary>
        public void WaitForStderr(string text, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (!Stderr.Contains(text, StringComparison.Ordinal))
            {
                if (clock.Elapsed > limit || _stderr.IsCompleted)
                {
                    throw new TimeoutException($"vnethash {string.Join(' ', _args)} did not write '{text}' to stderr; it wrote: {Stderr}");
                }

                Thread.Sleep(20);
            }
        }

        private string Stderr
        {
            get
            {
                lock (_stderrText)
                {
                    return _stderrText.ToString();
                }
            }
        }

        public Result WaitForExit(TimeSpan limit)
        {
            if (!_process.WaitForExit(limit))
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"vnethash {string.Join(' ', _args)} did not finish in {limit}");
            }

            _stderr.Wait();
            return new Result(_process.ExitCode, _stdout.Result, Stderr);
        }

        private async Task PumpAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_stderrText)
                {
                    _stderrText.Append(buffer, 0, n);
                }
            }
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
