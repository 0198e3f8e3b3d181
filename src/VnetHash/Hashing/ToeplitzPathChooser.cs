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
/// have optimised anything) around the same kernels the hash methods inline, less what reading the clock costs. First
/// looks (single passes, two sweeps over every operation and path, the better of each path's two) leave out every path
/// more than <see cref="LookMargin"/> times slower than the fastest of its operation; of the rest, <see cref="Rounds"/>
/// rounds alternate between the paths and the median round of each decides. A path whose best round is more than
/// twice the best of all after <see cref="PruneAfter"/> rounds is not timed again. Ties go to the path listed first in
/// <see cref="ToeplitzImplementation"/>.
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
    /// How long a timing of the fastest path may last, in passes of its first look's length (at most <see cref="Passes"/>):
    /// the tuple operations on fast paths keep eight passes (3.5 to 6 µs on Zen 4), the general form, one pass of which
    /// lasts about 4 µs, takes one or two.
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

        // Where the clock is slow to read (a virtual machine's HPET takes microseconds), a single pass would look long
        // and the timings would be mostly clock: what timing nothing gives (two reads in a row) comes off every timing.
        long clock = ClockReadTicks();
        return MeasureWith(candidates, (k, operation, passes) => Math.Max(0, keys[k].Time(operation, passes, inputs, hashes) - clock));
    }

    /// <summary>
    /// The choice <see cref="Measure"/> makes, with <paramref name="time"/> giving the ticks candidate k takes for an
    /// operation over a number of passes.
    /// </summary>
    internal static ToeplitzPaths MeasureWith(IReadOnlyList<ToeplitzImplementation> candidates, Func<int, ToeplitzOperation, int, long> time)
    {
        // Plain loops and arrays here: in the Native AOT tool, LINQ's iterators call generic virtual methods, which the
        // runtime resolves on their first call by looking types up, and Enum.GetValues reads metadata; on Zen 5 that was
        // a quarter of this one-time choice.
        ReadOnlySpan<ToeplitzOperation> operations = ToeplitzPaths.Operations;

        // Two sweeps over every operation and path, the better of each path's two looks counting: the first sweep pays
        // for cold code and data, and a vector unit that runs slowly until it has been in use a few microseconds, the
        // second runs warm; an interrupt rarely hits both.
        var looks = new long[operations.Length][];
        for (int o = 0; o < looks.Length; o++)
        {
            looks[o] = new long[candidates.Count];
            looks[o].AsSpan().Fill(long.MaxValue);
        }

        for (int sweep = 0; sweep < 2; sweep++)
        {
            foreach (ToeplitzOperation operation in operations)
            {
                for (int k = 0; k < candidates.Count; k++)
                {
                    looks[(int)operation][k] = Math.Min(looks[(int)operation][k], time(k, operation, 1));
                }
            }
        }

        ToeplitzPaths chosen = ToeplitzPaths.Everywhere(candidates[0]);
        foreach (ToeplitzOperation operation in operations)
        {
            // The fastest look is always a contender: the timings are as long as it asks.
            long[] opLooks = looks[(int)operation];
            int fastest = Fastest(candidates.Count, Contenders(opLooks), PassesPerTiming(Least(opLooks)), (k, passes) => time(k, operation, passes));
            chosen = chosen.With(operation, candidates[fastest]);
        }

        return chosen;
    }

    private static long Least(ReadOnlySpan<long> ticks)
    {
        long least = long.MaxValue;
        foreach (long t in ticks)
        {
            least = Math.Min(least, t);
        }

        return least;
    }

    // The least of a few differences between two clock reads in a row.
    private static long ClockReadTicks()
    {
        long least = long.MaxValue;
        for (int i = 0; i < 16; i++)
        {
            long start = Stopwatch.GetTimestamp();
            least = Math.Min(least, Stopwatch.GetTimestamp() - start);
        }

        return least;
    }

    /// <summary>
    /// Which paths go on to the timed rounds after first looks of <paramref name="looks"/> ticks each: those within
    /// <see cref="LookMargin"/> times the fastest look, or all of them when the clock could not tell the fastest from nothing.
    /// </summary>
    internal static bool[] Contenders(ReadOnlySpan<long> looks)
    {
        long leader = Least(looks);
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

    // The index of the fastest contending candidate for one operation, by timed rounds of the given passes when more
    // than one contends; time gives a candidate's ticks for a number of passes.
    private static int Fastest(int candidates, bool[] contending, int passes, Func<int, int, long> time)
    {
        int first = Array.IndexOf(contending, true);
        if (first == Array.LastIndexOf(contending, true))
        {
            return first;
        }

        var timings = new long[candidates][];
        for (int k = 0; k < candidates; k++)
        {
            timings[k] = new long[Rounds];
        }

        long[] best = new long[candidates];
        best.AsSpan().Fill(long.MaxValue);
        int[] timed = new int[candidates];
        for (int round = 0; round < Rounds; round++)
        {
            long leader = Least(best);
            for (int k = 0; k < candidates; k++)
            {
                // A path at more than twice the leader's time after a few timed rounds cannot win: it stops.
                if (!contending[k] || (round >= PruneAfter && best[k] > 2 * leader))
                {
                    continue;
                }

                long ticks = time(k, passes);
                timings[k][timed[k]++] = ticks;
                best[k] = Math.Min(best[k], ticks);
            }
        }

        // The median round of each path that ran them all decides: an interrupted timing or one taken in a quiet moment
        // of a busy machine moves a path's best, not its median.
        int fastest = -1;
        long fastestMedian = long.MaxValue;
        for (int k = 0; k < candidates; k++)
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
