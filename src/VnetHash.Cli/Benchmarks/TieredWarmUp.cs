using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// Tells when the runtime has finished optimising the code a benchmark runs. Tiered compilation takes a hot method
/// through up to three versions (quick code, instrumented code, optimised code), each only after the method was called
/// 30 times once no method at all had been compiled for a while, and compiles the next version in the background. A
/// warm-up of fixed length can therefore end with some cases still on quick code, the more so the more cases there are:
/// the tool's bench once measured a 36-byte hash at 89 ns instead of 3.4 ns after such a warm-up. So a warm-up ends
/// only when the code has run for a whole quiet period with nothing compiled.
/// </summary>
/// <remarks>
/// A loop that runs long is itself compiled again while it runs, and may take the cases' code into its own body; the
/// methods a timing then calls are never called in the warm-up and keep their quick code (seen: an IPv4/TCP frame at
/// 45 ns instead of 3.7 ns when the benchmarks' harness warmed its cases up in a loop of their own). So the harness
/// warms up by running, and dropping, the very rounds it times. The tool's bench calls every case through its
/// delegate, one call site with a different target for each case; there its `auto` and forced cases agreed within
/// 8 % over ten processes on Zen 4.
/// </remarks>
internal struct TieredWarmUp
{
    // Longer than the gaps between the versions: the runtime's call-counting delay is 100 ms, and ten times that in a
    // process limited to one CPU (taskset -c 1), and compilations came up to twice the delay apart (181 ms on two CPUs,
    // 1.9 s on one, where a quiet 1.5 s left the 12-byte hashes on quick code: 35 to 68 ns instead of 1.7 ns).
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(Environment.ProcessorCount == 1 ? 2500 : 400);

    // However busy the JIT stays (another thread of the process compiling, say), the warm-up ends here.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private readonly TimeSpan _quietPeriod;
    private readonly TimeSpan _limit;
    private readonly long _start;
    private long _quietSince;
    private long _compiled;

    private TieredWarmUp(TimeSpan quietPeriod, TimeSpan limit)
    {
        _quietPeriod = quietPeriod;
        _limit = limit;
        _start = Stopwatch.GetTimestamp();
        _quietSince = _start;
        _compiled = JitInfo.GetCompiledMethodCount();
    }

    public static TieredWarmUp Start() => new(QuietPeriod, Limit);

    /// <summary>A warm-up with other periods than the runtime's (tests).</summary>
    internal static TieredWarmUp Start(TimeSpan quietPeriod, TimeSpan limit) => new(quietPeriod, limit);

    /// <summary>
    /// Whether the code has run for the quiet period (<see cref="QuietPeriod"/>) with no method compiled anywhere in
    /// the process, or the limit (<see cref="Limit"/>) has passed. Code compiled ahead of time (Native AOT) has no later version: done at once.
    /// </summary>
    public bool IsDone()
    {
        if (!RuntimeFeature.IsDynamicCodeCompiled)
        {
            return true;
        }

        long compiled = JitInfo.GetCompiledMethodCount();
        if (compiled != _compiled)
        {
            _compiled = compiled;
            _quietSince = Stopwatch.GetTimestamp();
        }

        return Stopwatch.GetElapsedTime(_quietSince) >= _quietPeriod || Stopwatch.GetElapsedTime(_start) >= _limit;
    }
}
