using System.Diagnostics;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>probe</c> and <c>tap run</c> against the running kernel, each inside its own network namespace that the
/// test creates and always deletes (root only; skipped otherwise).
/// </summary>
public sealed class LiveTapTests
{
    [RootFact]
    public void Probe_json_names_the_auto_backend_and_the_kernel_answers()
    {
        using var netns = new TestNamespace();

        Tool.Result result = Tool.Run("probe", "--json", "--netns", netns.Name);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Contains(root.GetProperty("auto_backend").GetString(), new[] { "kernel", "ebpf", "userspace" });
        Assert.Equal(JsonValueKind.True == root.GetProperty("kernel_native").ValueKind, root.GetProperty("kernel_native_abi").ValueKind == JsonValueKind.String);
        Assert.True(root.TryGetProperty("kernel_hash_types", out _));
        Assert.True(root.TryGetProperty("kernel_hash_flags", out _));
    }

    [RootFact]
    public void Tap_run_reports_every_queue_and_the_backend()
    {
        using var netns = new TestNamespace();

        Tool.Result result = Tool.Run("tap", "run", "--name", "vhcli0", "--queues", "3", "--netns", netns.Name, "--duration", "1", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Contains(json.RootElement.GetProperty("backend").GetString(), new[] { "kernel", "ebpf", "userspace" });
        Assert.Equal(3, json.RootElement.GetProperty("queues").GetArrayLength());
        Assert.Equal(
            json.RootElement.GetProperty("packets").GetInt64(),
            json.RootElement.GetProperty("queues").EnumerateArray().Sum(q => q.GetProperty("packets").GetInt64()));
    }

    [RootFact]
    public void An_unavailable_backend_asked_for_by_name_is_exit_code_4_or_runs()
    {
        // The kernel backend needs the unmerged series; on kernels without it the request must fail cleanly.
        using var netns = new TestNamespace();

        Tool.Result result = Tool.Run("tap", "run", "--name", "vhcli1", "--queues", "2", "--netns", netns.Name, "--duration", "1", "--backend", "kernel", "--json");

        if (result.ExitCode != 0)
        {
            Assert.Equal((int)ExitCode.BackendUnavailable, result.ExitCode);
            Assert.Contains("kernel", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
        else
        {
            using JsonDocument json = JsonDocument.Parse(result.Stdout);
            Assert.Equal("kernel", json.RootElement.GetProperty("backend").GetString());
        }
    }

    /// <summary>A fresh network namespace with a unique name, deleted on dispose.</summary>
    private sealed class TestNamespace : IDisposable
    {
        public TestNamespace()
        {
            Name = $"vnethash-cli-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30];
            Ip("netns", "add", Name);

            // Devices made inside start with IPv6 off, so the kernel sends no traffic of its own on them.
            Ip("netns", "exec", Name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        }

        public string Name { get; }

        public void Dispose() => Ip("netns", "del", Name);

        private static void Ip(params string[] args)
        {
            var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true };
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error}");
            }
        }
    }
}
