using System.Diagnostics;

namespace VnetHash.Hashing;

/// <summary>
/// Chooses, once per process, the path each <see cref="ToeplitzOperation"/> of an <see cref="ToeplitzImplementation.Auto"/>
/// key takes, by timing every path this CPU supports: the first <see cref="ToeplitzImplementation.Auto"/> key prepared
/// in a process pays for it, every later one reuses the choice. The <c>VNETHASH_TOEPLITZ</c> environment variable,
/// set to a <see cref="ToeplitzImplementation"/> name, replaces the measurement with that path for every operation.
/// </summary>
/// <remarks>
/// Each path hashes the same <see cref="Inputs"/> random inputs per operation in loops compiled fully optimised on
/// first call (so the timing is of optimised code even though it runs at start-up, before tiered compilation would
/// have optimised anything) around the same kernels the hash methods inline. A first look (the better of two single
/// passes) leaves out every path more than <see cref="LookMargin"/> times slower than the fastest; of the rest, one
/// round warms each path up, then <see cref="Rounds"/> rounds alternate between the paths and the median round of each
/// decides. A path whose best round is more than twice the best of all after <see cref="PruneAfter"/> rounds is not
/// timed again. Ties go to the path listed first in <see cref="ToeplitzImplementation"/>.
/// </remarks>
internal static class ToeplitzPathChooser
{
    /// <summary>The environment variable that forces one path for every operation of <see cref="ToeplitzImplementation.Auto"/> keys.</summary>
    public const string OverrideVariable = "VNETHASH_TOEPLITZ";

    /// <summary>Inputs hashed per operation, path and round.</summary>
    public const int Inputs = 256;

    /// <summary>
    /// Most passes over the inputs per timing: a timing of one pass (a few hundred nanoseconds on the fast paths) is
    /// decided by a timer read, an interrupt or a cold cache line as much as by the path.
    /// </summary>
    public const int Passes = 8;

    /// <summary>
    /// How long a timing of the fastest path lasts, in passes of its first look's length (at most <see cref="Passes"/>):
    /// eight passes of the tuple operations on fast paths, fewer of an operation one pass of which already lasts long.
    /// </summary>
    public const int TimingMicroseconds = 6;

    /// <summary>Timed rounds per operation and path; odd, so one of them is the median. The first looks warmed each path up.</summary>
    public const int Rounds = 7;

    /// <summary>Timed rounds before a path far behind the leader stops: one round alone can be one interrupted timing.</summary>
    public const int PruneAfter = 3;

    /// <summary>
    /// How many times the fastest path's first look a path's may take and still go on to the rounds. Timing paths this
    /// far behind in full rounds, which they cannot win, was most of the choice's cost.
    /// </summary>
    public const int LookMargin = 3;

    private static readonly Lazy<ToeplitzPaths> s_chosen = new(ChooseForProcess);

    private static int s_choices;
    private static long s_choiceTicks;

    /// <summary>The paths of this process, measured (or read from the environment) on first use.</summary>
    public static ToeplitzPaths Chosen => s_chosen.Value;

    /// <summary>How many times this process has chosen its paths (at most once).</summary>
    public static int Choices => Volatile.Read(ref s_choices);

    /// <summary>How long choosing the paths of this process took, key preparations and compilation included.</summary>
    public static TimeSpan ChoiceTime => TimeSpan.FromTicks(Volatile.Read(ref s_choiceTicks));

    private static ToeplitzPaths ChooseForProcess()
    {
        Interlocked.Increment(ref s_choices);
        long start = Stopwatch.GetTimestamp();
        ToeplitzPaths paths = Choose(Environment.GetEnvironmentVariable(OverrideVariable));
        Volatile.Write(ref s_choiceTicks, Stopwatch.GetElapsedTime(start).Ticks);
        return paths;
    }

    /// <summary>The paths for an override value (null or empty: measure).</summary>
    /// <exception cref="ConfigurationException">The value names no path, or a path this CPU lacks.</exception>
    public static ToeplitzPaths Choose(string? overrideValue)
    {
        if (string.IsNullOrWhiteSpace(overrideValue))
        {
            return Measure(ToeplitzKey.AvailableImplementations);
        }

        string name = overrideValue.Trim();
        if (!Enum.TryParse(name, ignoreCase: true, out ToeplitzImplementation forced) || !Enum.IsDefined(forced) || char.IsAsciiDigit(name[0]))
        {
            throw new ConfigurationException(
                ConfigurationRule.UnknownToeplitzPath,
                OverrideVariable,
                $"\"{overrideValue}\" names no Toeplitz path; use one of {string.Join(", ", Enum.GetNames<ToeplitzImplementation>())}");
        }

        if (!ToeplitzKey.IsSupported(forced))
        {
            throw new ConfigurationException(
                ConfigurationRule.UnsupportedToeplitzPath,
                OverrideVariable,
                $"the {forced} path {ToeplitzKey.WhyUnsupported(forced)}");
        }

        return forced == ToeplitzImplementation.Auto ? Measure(ToeplitzKey.AvailableImplementations) : ToeplitzPaths.Everywhere(forced);
    }

    /// <summary>Times every path of <paramref name="candidates"/> on every operation and keeps the fastest of each.</summary>
    public static ToeplitzPaths Measure(IReadOnlyList<ToeplitzImplementation> candidates)
    {
        var keys = new ToeplitzKey[candidates.Count];
        for (int k = 0; k < keys.Length; k++)
        {
            keys[k] = new ToeplitzKey(ToeplitzKey.MicrosoftKey, candidates[k]);
        }

        byte[] inputs = new byte[Inputs * HashInput.IPv6WithPortsLength];
        new Random(12).NextBytes(inputs);
        uint[] hashes = new uint[Inputs];
        ToeplitzPaths chosen = ToeplitzPaths.Everywhere(candidates[0]);
        long[] looks = new long[keys.Length];
        for (ToeplitzOperation operation = ToeplitzOperation.Hash12; operation <= ToeplitzOperation.Batch36; operation++)
        {
            // The better of two single passes: the first can pay for cold code and data, or an interrupt; both rarely do.
            for (int k = 0; k < keys.Length; k++)
            {
                looks[k] = Math.Min(keys[k].Time(operation, 1, inputs, hashes), keys[k].Time(operation, 1, inputs, hashes));
            }

            chosen = chosen.With(operation, candidates[Fastest(keys, looks, Contenders(looks), operation, inputs, hashes)]);
        }

        return chosen;
    }

    /// <summary>
    /// Which paths go on to the timed rounds after first looks of <paramref name="looks"/> ticks each: those within
    /// <see cref="LookMargin"/> times the fastest look, or all of them when the clock could not tell the fastest from nothing.
    /// </summary>
    internal static bool[] Contenders(ReadOnlySpan<long> looks)
    {
        long leader = long.MaxValue;
        foreach (long ticks in looks)
        {
            leader = Math.Min(leader, ticks);
        }

        bool[] contenders = new bool[looks.Length];
        for (int k = 0; k < looks.Length; k++)
        {
            contenders[k] = leader <= 0 || looks[k] <= LookMargin * leader;
        }

        return contenders;
    }

    /// <summary>
    /// Passes per timing for an operation whose fastest first look (one pass) took <paramref name="fastestLook"/>
    /// ticks: as many as last about <see cref="TimingMicroseconds"/>, at least one and at most <see cref="Passes"/>.
    /// </summary>
    internal static int PassesPerTiming(long fastestLook) =>
        fastestLook <= 0 ? Passes : (int)Math.Clamp(Math.Round(TimingMicroseconds * Stopwatch.Frequency / 1e6 / fastestLook), 1, Passes);

    // The index of the fastest of the contending keys for one operation, by timed rounds when more than one contends.
    private static int Fastest(ToeplitzKey[] keys, long[] looks, bool[] contending, ToeplitzOperation operation, byte[] inputs, uint[] hashes)
    {
        if (contending.Count(c => c) == 1)
        {
            return Array.IndexOf(contending, true);
        }

        int passes = PassesPerTiming(looks.Min()); // the fastest look is always a contender
        long[][] timings = [.. keys.Select(_ => new long[Rounds])];
        long[] best = new long[keys.Length];
        best.AsSpan().Fill(long.MaxValue);
        int[] timed = new int[keys.Length];
        for (int round = 0; round < Rounds; round++)
        {
            long leader = long.MaxValue;
            foreach (long ticks in best)
            {
                leader = Math.Min(leader, ticks);
            }

            for (int k = 0; k < keys.Length; k++)
            {
                // A path at more than twice the leader's time after a few timed rounds cannot win: it stops.
                if (!contending[k] || (round >= PruneAfter && best[k] > 2 * leader))
                {
                    continue;
                }

                long ticks = keys[k].Time(operation, passes, inputs, hashes);
                timings[k][timed[k]++] = ticks;
                best[k] = Math.Min(best[k], ticks);
            }
        }

        // The median round of each path that ran them all decides: an interrupted timing or one taken in a quiet moment
        // of a busy machine moves a path's best, not its median.
        int fastest = -1;
        long fastestMedian = long.MaxValue;
        for (int k = 0; k < keys.Length; k++)
        {
            if (timed[k] == Rounds)
            {
                Array.Sort(timings[k]);
                long median = timings[k][Rounds / 2];
                if (median < fastestMedian)
                {
                    (fastest, fastestMedian) = (k, median);
                }
            }
        }

        return fastest;
    }
}
