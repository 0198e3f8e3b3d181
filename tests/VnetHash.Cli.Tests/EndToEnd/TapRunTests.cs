using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>tap run</c> under a flood from inside its namespace, through the installed tool: the ready line before any
/// packet, <c>--count</c> exact, every frame accounted in the summary, and the run's end on a signal or a deleted
/// device (issue "data path at rate").
/// </summary>
public sealed partial class TapRunTests
{
    [RootTheory]
    [InlineData("io_uring")]
    [InlineData("poll")]
    public void Count_delivers_exactly_n_packets_after_the_ready_line_and_the_summary_accounts_for_every_frame(string reader)
    {
        using var netns = new TestNamespace();
        const string Name = "vhrun0";
        using Tool.Running run = Tool.Start("tap", "run", "--name", Name, "--queues", "2", "--netns", netns.Name, "--backend", "ebpf", "--reader", reader, "--count", "5000", "--packets");
        netns.WaitForLinkUp(Name, run);
        Tool.Result result;
        using (PacketFlood.Start(Name, NamespacePath(netns)))
        {
            result = run.WaitForExit(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using JsonDocument ready = JsonDocument.Parse(lines[0]);
        Assert.Equal("ready", ready.RootElement.GetProperty("event").GetString());
        Assert.Equal("ebpf", ready.RootElement.GetProperty("backend").GetString());
        Assert.Equal(reader, ready.RootElement.GetProperty("reader").GetString());
        Assert.Equal(JsonValueKind.Number, ready.RootElement.GetProperty("program_id").ValueKind);
        Assert.Equal(5000 + 2, lines.Length);
        Assert.All(lines[1..^1], line => Assert.StartsWith("{\"queue\":", line, StringComparison.Ordinal));

        using JsonDocument summary = JsonDocument.Parse(lines[^1]);
        JsonElement s = summary.RootElement;
        Assert.Equal("summary", s.GetProperty("event").GetString());
        Assert.Equal("count", s.GetProperty("end").GetString());
        Assert.Equal(5000, s.GetProperty("packets").GetInt64());
        AssertAccounted(s);
    }

    /// <summary>
    /// SIGINT or SIGTERM while a flood runs: the tool stops its readers, detaches and releases its steering program,
    /// deletes its device, prints its summary and ends with 130; nothing of it is left.
    /// </summary>
    [RootTheory]
    [InlineData(Tool.SigInt)]
    [InlineData(Tool.SigTerm)]
    public void A_signal_during_a_flood_ends_the_run_with_130_and_leaves_no_device_and_no_program(int signal)
    {
        using var netns = new TestNamespace();
        const string Name = "vhrun1";
        using Tool.Running run = Tool.Start("tap", "run", "--name", Name, "--queues", "2", "--netns", netns.Name, "--backend", "ebpf", "--json");
        netns.WaitForLinkUp(Name, run);
        Tool.Result result;
        using (PacketFlood flood = PacketFlood.Start(Name, NamespacePath(netns)))
        {
            var clock = Stopwatch.StartNew();
            while (flood.Accepted < 50_000 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(10);
            }

            run.Signal(signal);
            result = run.WaitForExit(TimeSpan.FromMinutes(1));
        }

        Assert.Equal((int)ExitCode.Interrupted, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using JsonDocument ready = JsonDocument.Parse(lines[0]);
        using JsonDocument summary = JsonDocument.Parse(lines[^1]);
        Assert.Equal("signal", summary.RootElement.GetProperty("end").GetString());
        Assert.True(summary.RootElement.GetProperty("packets").GetInt64() > 0);
        AssertAccounted(summary.RootElement);
        Assert.False(netns.HasLink(Name), "the tap outlived the tool");
        // The device frees its program an RCU grace period after it goes.
        uint program = ready.RootElement.GetProperty("program_id").GetUInt32();
        var gone = Stopwatch.StartNew();
        while (ProgramExists(program) && gone.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(20);
        }

        Assert.False(ProgramExists(program), $"steering program {program} outlived the tool");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A device deleted under a flooded run ends it at once (not when --duration runs out) with exit code 3 and the reason.</summary>
    [RootFact]
    public void A_device_deleted_under_a_flooded_run_ends_it_at_once_with_exit_code_3()
    {
        using var netns = new TestNamespace();
        const string Name = "vhrun2";
        using Tool.Running run = Tool.Start("tap", "run", "--name", Name, "--queues", "2", "--netns", netns.Name, "--backend", "ebpf", "--duration", "100", "--json");
        netns.WaitForLinkUp(Name, run);
        Tool.Result result;
        TimeSpan took;
        using (PacketFlood flood = PacketFlood.Start(Name, NamespacePath(netns)))
        {
            var wait = Stopwatch.StartNew();
            while (flood.Accepted < 50_000 && wait.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(10);
            }

            TestNamespace.Ip("-n", netns.Name, "link", "del", Name);
            var clock = Stopwatch.StartNew();
            result = run.WaitForExit(TimeSpan.FromMinutes(1));
            took = clock.Elapsed;
        }

        Assert.Equal((int)ExitCode.SystemError, result.ExitCode);
        Assert.Contains("deleted", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        // The process start-up and shutdown of the installed tool count here; 100 s of --duration would not.
        Assert.True(took < TimeSpan.FromSeconds(30), $"the run took {took.TotalSeconds:F1} s to end after its device was deleted");
        using JsonDocument summary = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("error", summary.RootElement.GetProperty("end").GetString());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("kernel").ValueKind);
    }

    /// <summary>Every frame the readers took is delivered or dropped with a reason, in total and per reader.</summary>
    private static void AssertAccounted(JsonElement summary)
    {
        long dropped = summary.GetProperty("dropped").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(summary.GetProperty("read").GetInt64(), summary.GetProperty("packets").GetInt64() + dropped);
        Assert.Equal(summary.GetProperty("read").GetInt64(), summary.GetProperty("readers").EnumerateArray().Sum(r => r.GetProperty("read").GetInt64()));
        if (summary.GetProperty("kernel").ValueKind == JsonValueKind.Object)
        {
            Assert.Equal(summary.GetProperty("kernel").GetProperty("tx_packets").GetInt64(), summary.GetProperty("read").GetInt64());
        }
    }

    private static string NamespacePath(TestNamespace netns) => $"/var/run/netns/{netns.Name}";

    /// <summary>Whether a BPF program of that id is still loaded (<c>BPF_PROG_GET_FD_BY_ID</c>; ENOENT once it is freed).</summary>
    private static unsafe bool ProgramExists(uint id)
    {
        nint number = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 280 : 321;
        byte* attributes = stackalloc byte[144];
        new Span<byte>(attributes, 144).Clear();
        *(uint*)attributes = id;
        long fd = SystemCall(number, 13, attributes, 144);
        if (fd >= 0)
        {
            _ = Close((int)fd);
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == 2 ? false : throw new InvalidOperationException($"BPF_PROG_GET_FD_BY_ID failed: errno {errno}");
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SystemCall(nint number, nint command, void* attributes, nint size);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
