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
        // Numbers where the kernel has the series, null where it has not (every distribution kernel).
        JsonValueKind expected = root.GetProperty("kernel_native").GetBoolean() ? JsonValueKind.Number : JsonValueKind.Null;
        Assert.Equal(expected, root.GetProperty("kernel_hash_types").ValueKind);
        Assert.Equal(expected, root.GetProperty("kernel_hash_flags").ValueKind);
    }

    [RootFact]
    public void Tap_run_reports_every_queue_and_the_backend()
    {
        using var netns = new TestNamespace();

        Tool.Result result = Tool.Run("tap", "run", "--name", "vhcli0", "--queues", "3", "--netns", netns.Name, "--duration", "1", "--json");

        Assert.Equal(0, result.ExitCode);
        // JSON lines: the ready event, then the summary.
        using JsonDocument json = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
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
            using JsonDocument json = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
            Assert.Equal("kernel", json.RootElement.GetProperty("backend").GetString());
        }
    }

    /// <summary>
    /// Issue "Kernel-native backend…", tool: <c>--packets</c> prints one JSON line per delivered packet before the
    /// summary line; each line's queue, hash and report are what the core computes for the frame it shows.
    /// </summary>
    [RootFact]
    public void Tap_run_packets_prints_each_packet_with_the_cores_queue_hash_and_report()
    {
        using var netns = new TestNamespace();
        const string Name = "vhcli2";
        using Tool.Running run = Tool.Start("tap", "run", "--name", Name, "--queues", "4", "--netns", netns.Name, "--backend", "userspace", "--duration", "8", "--packets");
        // The tool sets the link up once its steering is in place, and prints its ready line then.
        netns.WaitForLinkUp(Name, run);

        TestNamespace.Ip("-n", netns.Name, "addr", "add", "10.9.0.1/24", "dev", Name);
        TestNamespace.Ip("-n", netns.Name, "neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:00:00:02", "dev", Name, "nud", "permanent");
        // Each write opens a new UDP socket, so each datagram is its own flow with its own source port.
        TestNamespace.Ip("netns", "exec", netns.Name, "bash", "-c", "for i in $(seq 1 24); do echo $i > /dev/udp/10.9.0.2/9; done");

        Tool.Result result = run.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using JsonDocument ready = JsonDocument.Parse(lines[0]);
        Assert.Equal("ready", ready.RootElement.GetProperty("event").GetString());
        using JsonDocument summary = JsonDocument.Parse(lines[^1]);
        Assert.Equal("userspace", summary.RootElement.GetProperty("backend").GetString());
        Assert.Equal(lines.Length - 2, summary.RootElement.GetProperty("packets").GetInt64());
        Assert.True(lines.Length - 2 >= 24, $"{lines.Length - 2} packet lines");

        var steering = new VnetHash.Rss.RssSteering(VnetHash.Rss.RssConfiguration.RoundRobin(4));
        foreach (string line in lines[1..^1])
        {
            using JsonDocument packet = JsonDocument.Parse(line);
            JsonElement p = packet.RootElement;
            byte[] frame = Convert.FromHexString(p.GetProperty("frame").GetString()!);
            Assert.Equal(frame.Length, p.GetProperty("length").GetInt32());
            VnetHash.Rss.RssDecision expected = steering.Decide(frame, VnetHash.Packets.FrameKind.Ethernet, 4);
            Assert.Equal(expected.Queue, p.GetProperty("queue").GetInt32());
            Assert.Equal(expected.Hash.Value.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), p.GetProperty("hash").GetString());
            Assert.Equal((int)expected.Hash.Report, p.GetProperty("report_value").GetInt32());
        }
    }
}
