using System.Diagnostics;
using VnetHash.Packages.Tests.Infrastructure;
using VnetHash.TestSupport;
using Xunit;

namespace VnetHash.Packages.Tests;

/// <summary>The build and pack commands of the tests are given up when stuck, never for being slow on a busy machine.</summary>
public sealed class ProcessProgressTests
{
    [Fact]
    public void A_command_that_uses_no_cpu_for_the_stall_limit_is_given_up_with_the_reason()
    {
        var clock = Stopwatch.StartNew();

        TimeoutException error = Assert.Throws<TimeoutException>(() => Command.Run("sleep", ["120"], stallLimit: TimeSpan.FromSeconds(3)));

        Assert.Contains("made no progress", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"given up only after {clock.Elapsed}");
    }

    [Fact]
    public void A_busy_command_runs_past_the_stall_limit_to_its_end()
    {
        // A shell loop that keeps a CPU busy for twice the stall limit, then ends by itself.
        Command.Result result = Command.Run("sh", ["-c", "end=$(($(date +%s) + 6)); while [ $(date +%s) -lt $end ]; do :; done; echo done"], stallLimit: TimeSpan.FromSeconds(3));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("done", result.Output.Trim());
    }

    [Fact]
    public void The_tool_pack_lock_keeps_a_second_holder_out_until_it_is_released()
    {
        // The lock is held per open file, so a second take in the same program waits as another program's would.
        using (ToolPackLock.Take())
        {
            TimeoutException error = Assert.Throws<TimeoutException>(() => ToolPackLock.Take(TimeSpan.FromSeconds(1)));
            Assert.Contains("stayed locked by another pack of the tool", error.Message, StringComparison.Ordinal);
        }

        // Released: taken again (after any pack of the tool that other tests run meanwhile).
        using IDisposable again = ToolPackLock.Take();
    }
}
