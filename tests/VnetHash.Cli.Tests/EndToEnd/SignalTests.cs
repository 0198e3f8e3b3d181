using System.Diagnostics;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM stop a command cleanly with exit code 130 (README, exit codes): <c>tap run</c>
/// inside its namespace prints its summary and removes its device; <c>generate</c> removes its partial file.
/// </summary>
public sealed class SignalTests
{
    [RootTheory]
    [InlineData(Tool.SigInt)]
    [InlineData(Tool.SigTerm)]
    public void Tap_run_in_a_namespace_stops_on_a_signal_with_130_its_summary_and_no_device_left(int signal)
    {
        using var netns = new TestNamespace();
        const string Name = "vhsig0";

        // The signal goes to the installed vnethash the user started, which passes it on to itself inside the namespace.
        using Tool.Running run = Tool.Start("tap", "run", "--name", Name, "--queues", "2", "--netns", netns.Name, "--backend", "userspace", "--json");
        netns.WaitForLink(Name, run);
        run.Signal(signal);
        Tool.Result result = run.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.Equal((int)ExitCode.Interrupted, result.ExitCode);
        using JsonDocument summary = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(Name, summary.RootElement.GetProperty("name").GetString());
        Assert.Equal(2, summary.RootElement.GetProperty("queues").GetArrayLength());
        Assert.False(netns.HasLink(Name), "the tap outlived the tool");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Tool.SigInt)]
    [InlineData(Tool.SigTerm)]
    public void Generate_stops_on_a_signal_with_130_and_removes_its_partial_file(int signal)
    {
        using var dir = new TempDirectory();
        string capture = dir.File("big.pcapng");

        // Far more packets than it can write before the signal: it must stop, not finish.
        using Tool.Running run = Tool.Start("generate", "--packets", "200000000", "--out", capture);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(capture + ".partial") || new FileInfo(capture + ".partial").Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !run.HasExited, "generate never started writing");
            Thread.Sleep(20);
        }

        run.Signal(signal);
        Tool.Result result = run.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.Equal((int)ExitCode.Interrupted, result.ExitCode);
        Assert.Contains("interrupted", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Generate_interrupted_keeps_an_earlier_file_of_the_same_name()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("kept.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--packets", "10", "--out", capture).ExitCode);
        byte[] before = File.ReadAllBytes(capture);

        using Tool.Running run = Tool.Start("generate", "--packets", "200000000", "--out", capture);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(capture + ".partial"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !run.HasExited, "generate never started writing");
            Thread.Sleep(20);
        }

        run.Signal(Tool.SigInt);

        Assert.Equal((int)ExitCode.Interrupted, run.WaitForExit(TimeSpan.FromMinutes(1)).ExitCode);
        Assert.Equal(before, File.ReadAllBytes(capture));
        Assert.False(File.Exists(capture + ".partial"));
    }
}
