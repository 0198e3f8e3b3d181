using System.Diagnostics;
using System.Reflection.Emit;
using VnetHash.Cli.Benchmarks;

namespace VnetHash.Cli.Tests.Benchmarks;

/// <summary>When a benchmark's warm-up ends: after a quiet period with nothing compiled, and at its limit however busy the JIT is.</summary>
public sealed class TieredWarmUpTests
{
    [Fact]
    public void A_compilation_restarts_the_quiet_period()
    {
        // A warm-up up and running (the first calls compile their own code), then quiet for 150 ms.
        TieredWarmUp warmUp = TieredWarmUp.Start(TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1));
        CompileOneMethod();
        _ = warmUp.IsDone();
        Thread.Sleep(150);
        CompileOneMethod();
        Thread.Sleep(150);

        // 300 ms after the start, 150 ms after the second compilation: within the period counted from that compilation.
        bool done = warmUp.IsDone();

        Assert.False(done, "the warm-up ended although a method was compiled 150 ms ago");
    }

    [Fact]
    public void It_ends_after_a_quiet_period_with_nothing_compiled()
    {
        TieredWarmUp warmUp = TieredWarmUp.Start(TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
        Assert.False(warmUp.IsDone());

        // Other tests of the run compile as they go, so the period may restart; it must end within a generous bound.
        var clock = Stopwatch.StartNew();
        while (!warmUp.IsDone())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), "no quiet 50 ms in 50 s");
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void It_ends_at_its_limit_however_busy_the_jit_is()
    {
        TieredWarmUp warmUp = TieredWarmUp.Start(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        while (!warmUp.IsDone())
        {
            CompileOneMethod();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the warm-up ran past its limit");
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"the warm-up ended after {clock.Elapsed.TotalMilliseconds} ms, before its limit");
    }

    // A new method compiled by the JIT: a dynamic method, called once.
    private static void CompileOneMethod()
    {
        var method = new DynamicMethod("warm", typeof(int), Type.EmptyTypes);
        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, Environment.TickCount);
        il.Emit(OpCodes.Ret);
        _ = ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
    }
}
