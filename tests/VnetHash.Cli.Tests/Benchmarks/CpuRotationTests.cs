using System.Runtime.InteropServices;
using VnetHash.Cli.Benchmarks;

namespace VnetHash.Cli.Tests.Benchmarks;

/// <summary>
/// The timed runs of `bench` and of the benchmarks' harness move over the CPUs the caller may use, on a thread of their
/// own, and the caller never moves.
/// </summary>
public sealed partial class CpuRotationTests
{
    [TwoCpuFact]
    public void Steps_visit_every_allowed_cpu_in_turn_on_a_thread_of_its_own()
    {
        int caller = Environment.CurrentManagedThreadId;
        int[] allowed = CpuRotation.AllowedCpus();

        (int Thread, int[] Cpus, int[] Visited) seen = CpuRotation.Run(rotation =>
        {
            Assert.Equal(allowed, rotation.Cpus);
            Assert.Equal(allowed, CpuRotation.AllowedCpus());
            Assert.Empty(rotation.Visited);
            for (int step = 0; step < 2 * allowed.Length; step++)
            {
                rotation.Step();
                int expected = allowed[step % allowed.Length];
                Assert.Equal([expected], CpuRotation.AllowedCpus());
                Assert.Equal(expected, Native.SchedGetCpu());
            }

            return (Environment.CurrentManagedThreadId, rotation.Cpus.ToArray(), rotation.Visited.ToArray());
        });

        Assert.NotEqual(caller, seen.Thread);
        Assert.Equal(allowed, seen.Visited);
        Assert.Equal(allowed, CpuRotation.AllowedCpus());
    }

    [Fact]
    public void A_caller_limited_to_one_cpu_keeps_its_runs_there() => OnThreadLimitedToOneCpu(only =>
    {
        int[] visited = CpuRotation.Run(rotation =>
        {
            Assert.Equal([only], rotation.Cpus);
            rotation.Step();
            rotation.Step();
            Assert.Equal([only], CpuRotation.AllowedCpus());
            return rotation.Visited.ToArray();
        });

        Assert.Equal([only], visited);
    });

    [Fact]
    public void What_the_work_throws_reaches_the_caller()
    {
        var thrown = Assert.Throws<OperationCanceledException>(() => CpuRotation.Run<int>(_ => throw new OperationCanceledException("stopped")));
        Assert.Equal("stopped", thrown.Message);
    }

    /// <summary>Runs <paramref name="body"/> on a new thread limited to the last CPU this one may use.</summary>
    internal static void OnThreadLimitedToOneCpu(Action<int> body)
    {
        int only = CpuRotation.AllowedCpus()[^1];
        CpuRotation.Run(_ =>
        {
            Assert.True(CpuRotation.Pin([only]));
            body(only);
            return 0;
        });
    }

    /// <summary>A fact that needs two CPUs to move between, and skips, saying so, with fewer.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class TwoCpuFactAttribute : FactAttribute
    {
        public TwoCpuFactAttribute()
        {
            if (CpuRotation.AllowedCpus().Length < 2)
            {
                Skip = "needs two CPUs: the rotation moves a thread between them";
            }
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "sched_getcpu")]
        internal static partial int SchedGetCpu();
    }
}
