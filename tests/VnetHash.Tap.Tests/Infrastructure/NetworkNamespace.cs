using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>
/// A private network namespace for one test: created with <c>ip netns add</c>, always deleted on dispose.
/// Work runs on a dedicated thread that joined the namespace with <c>setns</c>; network namespaces are per
/// thread, so devices and sockets created there live in the namespace, and threads it starts inherit it.
/// Nothing here touches the host's interfaces.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int s_counter;
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    /// <summary>Creates the namespace, brings <c>lo</c> up, turns IPv6 off by default and starts the namespace thread.</summary>
    public NetworkNamespace()
    {
        // The random part keeps a name from a crashed earlier run with the same process id from colliding.
        Name = $"vnh-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}-{Random.Shared.Next(0x10000):x4}";
        Run("ip", "netns", "add", Name);
        try
        {
            Exec("ip", "link", "set", "lo", "up");
            // New interfaces inherit this, so no test tap ever sends router solicitations or neighbour discovery.
            Exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            _thread = new Thread(Loop) { IsBackground = true, Name = Name };
            _thread.Start();
            _joined.Task.GetAwaiter().GetResult();
        }
        catch
        {
            Run("ip", "netns", "del", Name);
            throw;
        }
    }

    /// <summary>The namespace name, unique per process and test.</summary>
    public string Name { get; }

    /// <summary>The namespace's file, which setns(2) enters.</summary>
    public string Path => $"/var/run/netns/{Name}";

    /// <summary>Runs <paramref name="work"/> on the namespace thread and returns its result (exceptions propagate).</summary>
    public T Invoke<T>(Func<T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="work"/> on the namespace thread.</summary>
    public void Invoke(Action work) => Invoke(() =>
    {
        work();
        return true;
    });

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>) and throws when it fails.</summary>
    public string Exec(params string[] command) => Run(["ip", "netns", "exec", Name, .. command]);

    /// <summary>Turns IPv6 off on one interface of the namespace.</summary>
    public void DisableIPv6(string interfaceName) => Exec("sysctl", "-qw", $"net.ipv6.conf.{interfaceName}.disable_ipv6=1");

    /// <summary>Deletes an interface of the namespace (<c>ip link del</c>), as the selftests do over rtnetlink.</summary>
    public void DeleteLink(string interfaceName) => Exec("ip", "link", "del", interfaceName);

    /// <summary>Whether the namespace has an interface of that name.</summary>
    public bool HasLink(string interfaceName) => TryRun(["ip", "netns", "exec", Name, "ip", "link", "show", interfaceName]);

    /// <summary>Stops the namespace thread and deletes the namespace.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
        Run("ip", "netns", "del", Name);
        _work.Dispose();
    }

    private void Loop()
    {
        try
        {
            using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read);
            if (Native.SetNs((int)handle.DangerousGetHandle(), Native.CLONE_NEWNET) != 0)
            {
                throw new IOException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        catch (Exception e)
        {
            _joined.SetException(e);
            return;
        }

        _joined.SetResult();
        foreach (Action work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    private static string Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in command.AsSpan(1))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new IOException($"cannot start {command[0]}");
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new IOException($"'{string.Join(' ', command)}' failed ({process.ExitCode}): {error}");
        }

        return output;
    }

    private static bool TryRun(string[] command)
    {
        try
        {
            Run(command);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
