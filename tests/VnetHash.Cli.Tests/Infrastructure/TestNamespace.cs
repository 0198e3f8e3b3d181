using System.Diagnostics;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>A fresh network namespace with a unique name, deleted on dispose (root only).</summary>
internal sealed class TestNamespace : IDisposable
{
    public TestNamespace()
    {
        Name = $"vnethash-cli-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30];
        Ip("netns", "add", Name);

        // Devices made inside start with IPv6 off, so the kernel sends no traffic of its own on them.
        Ip("netns", "exec", Name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
    }

    public string Name { get; }

    /// <summary>A namespace name nobody has created: unique to this call.</summary>
    public static string UnusedName() => $"vnethash-none-{Guid.NewGuid():N}"[..30];

    public void Dispose() => Ip("netns", "del", Name);

    /// <summary>Whether interface <paramref name="name"/> exists inside the namespace.</summary>
    public bool HasLink(string name)
    {
        try
        {
            Ip("-n", Name, "link", "show", name);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Waits until interface <paramref name="name"/> appears, while <paramref name="running"/> has not ended.</summary>
    public void WaitForLink(string name, Tool.Running running)
    {
        var clock = Stopwatch.StartNew();
        while (!HasLink(name))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !running.HasExited, $"interface {name} never appeared in {Name}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits until interface <paramref name="name"/> exists and is up, while <paramref name="running"/> has not ended.</summary>
    public void WaitForLinkUp(string name, Tool.Running running)
    {
        var clock = Stopwatch.StartNew();
        while (!HasLink(name) || !Ip("-n", Name, "link", "show", name).Contains(",UP", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !running.HasExited, $"interface {name} never came up in {Name}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Runs ip(8) and returns what it printed; throws when it fails.</summary>
    public static string Ip(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error}");
        }

        return output.Result;
    }
}
