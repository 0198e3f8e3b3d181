using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using CsCheck;
using VnetHash.Hashing;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// What <see cref="ToeplitzImplementation.Auto"/> does: every operation takes a path this CPU supports, chosen once per
/// process by timing (never asserted: the tests check which paths may be chosen, not how fast they are), or forced
/// by <c>VNETHASH_TOEPLITZ</c>; keys mixing paths per operation hash as the bitwise definition.
/// </summary>
public sealed class ToeplitzPathChooserTests
{
    private static readonly ToeplitzOperation[] Operations = Enum.GetValues<ToeplitzOperation>();

    [Fact]
    public void The_process_chooses_once_however_many_keys_are_prepared_at_once()
    {
        Parallel.For(0, 16, _ => Assert.Equal(ToeplitzImplementation.Auto, new ToeplitzKey(ToeplitzKey.MicrosoftKey).Implementation));

        Assert.Equal(1, ToeplitzPathChooser.Choices);
        Assert.Equal(ToeplitzPathChooser.Chosen, ToeplitzPathChooser.Chosen);
        Assert.True(ToeplitzPathChooser.ChoiceTime > TimeSpan.Zero);
    }

    [Fact]
    public void Measuring_picks_a_path_among_the_candidates_for_every_operation()
    {
        ToeplitzPaths all = ToeplitzPathChooser.Measure(ToeplitzKey.AvailableImplementations);
        ToeplitzPaths tableOnly = ToeplitzPathChooser.Measure([ToeplitzImplementation.Table]);

        Assert.All(Operations, operation => Assert.Contains(all[operation], ToeplitzKey.AvailableImplementations));
        Assert.Equal(ToeplitzPaths.Everywhere(ToeplitzImplementation.Table), tableOnly);
    }

    [Fact]
    public void The_lists_written_out_for_start_up_hold_every_operation_and_every_supported_path_in_order()
    {
        // The chooser and the key list operations and paths by hand rather than by Enum.GetValues (slow to start in
        // the Native AOT tool): a value added to either enum must be added there too.
        Assert.Equal(Operations, ToeplitzPaths.Operations.ToArray());
        Assert.Equal(Enum.GetValues<ToeplitzImplementation>().Where(i => i != ToeplitzImplementation.Auto), ToeplitzKey.Implementations.ToArray());
        Assert.Equal(ToeplitzKey.Implementations.ToArray().Where(ToeplitzKey.IsSupported), ToeplitzKey.AvailableImplementations);
    }

    [Theory]
    [InlineData(new long[] { 100, 300, 301, 2000 }, new[] { true, true, false, false })]
    [InlineData(new long[] { 2000, 301, 100, 300 }, new[] { false, false, true, true })]
    [InlineData(new long[] { 450, 520, 8500 }, new[] { true, true, false })]
    [InlineData(new long[] { 700 }, new[] { true })]
    [InlineData(new long[] { 0, 5000 }, new[] { true, true })]
    public void A_path_whose_first_look_is_over_three_times_the_fastest_is_not_timed_further(long[] looks, bool[] timed)
    {
        Assert.Equal(3, ToeplitzPathChooser.LookMargin);
        Assert.Equal(timed, ToeplitzPathChooser.Contenders(looks));
    }

    [Theory]
    [InlineData(0.5, 8)] // the tuples on fast paths: the full eight passes
    [InlineData(0.75, 8)]
    [InlineData(1.0, 6)]
    [InlineData(3.6, 2)] // the general form, three pieces per input
    [InlineData(10.0, 1)]
    public void A_timing_lasts_about_six_microseconds_of_the_fastest_path(double passMicroseconds, int passes)
    {
        Assert.Equal(passes, ToeplitzPathChooser.PassesPerTiming((long)(passMicroseconds * Stopwatch.Frequency / 1e6)));
    }

    [Fact]
    public void A_clock_that_cannot_time_one_pass_gets_the_most_passes() =>
        Assert.Equal(ToeplitzPathChooser.Passes, ToeplitzPathChooser.PassesPerTiming(0));

    [Fact]
    public void Paths_far_behind_in_the_looks_are_not_timed_in_rounds_and_the_rounds_take_the_passes_the_fastest_asks()
    {
        // Table at 10 µs a pass is out (over 3 times 1.5); CarrylessMultiply at 2 contends; 1.5 µs asks for 4 passes.
        var clock = new ScriptedClock(3, (k, _, passes) => Ticks((k switch { 0 => 10.0, 1 => 2.0, _ => 1.5 }) * passes));

        ToeplitzPaths chosen = ToeplitzPathChooser.MeasureWith([ToeplitzImplementation.Table, ToeplitzImplementation.CarrylessMultiply, ToeplitzImplementation.Gfni512], clock.Time);

        Assert.Equal(ToeplitzPaths.Everywhere(ToeplitzImplementation.Gfni512), chosen);
        Assert.DoesNotContain(clock.Rounds, call => call.Candidate == 0);
        Assert.All(clock.Rounds, call => Assert.Equal(ToeplitzPathChooser.PassesPerTiming(Ticks(1.5)), call.Passes));
        Assert.Equal(4, ToeplitzPathChooser.PassesPerTiming(Ticks(1.5)));
        Assert.All(Operations, operation => Assert.Equal(2 * ToeplitzPathChooser.Rounds, clock.Rounds.Count(call => call.Operation == operation)));
    }

    [Fact]
    public void A_path_slow_only_in_its_first_look_still_contends_and_can_win()
    {
        // CarrylessMultiply's first look is cold (20 µs); its second (1.6) and its rounds (1.4 a pass) are what it runs.
        var clock = new ScriptedClock(2, (k, earlier, passes) => k == 0 ? Ticks(earlier == 0 ? 20.0 : passes == 1 ? 1.6 : 1.4 * passes) : Ticks(1.5 * passes));

        ToeplitzPaths chosen = ToeplitzPathChooser.MeasureWith([ToeplitzImplementation.CarrylessMultiply, ToeplitzImplementation.Gfni512], clock.Time);

        Assert.Equal(ToeplitzPaths.Everywhere(ToeplitzImplementation.CarrylessMultiply), chosen);
    }

    [Fact]
    public void One_path_left_after_the_looks_is_chosen_without_rounds()
    {
        var clock = new ScriptedClock(2, (k, _, passes) => Ticks((k == 0 ? 10.0 : 1.0) * passes));

        ToeplitzPaths chosen = ToeplitzPathChooser.MeasureWith([ToeplitzImplementation.Table, ToeplitzImplementation.CarrylessMultiply], clock.Time);

        Assert.Equal(ToeplitzPaths.Everywhere(ToeplitzImplementation.CarrylessMultiply), chosen);
        Assert.Empty(clock.Rounds);
        Assert.Equal(2 * Operations.Length * 2, clock.Calls.Count);
    }

    [Fact]
    public void The_rounds_decide_not_the_looks()
    {
        // CarrylessMultiply looks faster in one pass (1.0 against 1.2 µs) but is slower over the rounds (1.3 against 1.1 a pass).
        var clock = new ScriptedClock(2, (k, _, passes) => Ticks(passes == 1 ? (k == 0 ? 1.0 : 1.2) : (k == 0 ? 1.3 : 1.1) * passes));

        ToeplitzPaths chosen = ToeplitzPathChooser.MeasureWith([ToeplitzImplementation.CarrylessMultiply, ToeplitzImplementation.Gfni512], clock.Time);

        Assert.Equal(ToeplitzPaths.Everywhere(ToeplitzImplementation.Gfni512), chosen);
    }

    [SkippableTheory]
    [InlineData("Table", ToeplitzImplementation.Table)]
    [InlineData("table", ToeplitzImplementation.Table)]
    [InlineData(" CARRYLESSMULTIPLY ", ToeplitzImplementation.CarrylessMultiply)]
    [InlineData("Gfni512", ToeplitzImplementation.Gfni512)]
    public void The_override_forces_one_supported_path_for_every_operation(string value, ToeplitzImplementation expected)
    {
        Skip.IfNot(ToeplitzKey.IsSupported(expected), $"This CPU lacks {ToeplitzKey.RequiredInstructions(expected)}.");

        Assert.Equal(ToeplitzPaths.Everywhere(expected), ToeplitzPathChooser.Choose(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    public void No_override_or_auto_measures(string? value)
    {
        ToeplitzPaths paths = ToeplitzPathChooser.Choose(value);

        Assert.All(Operations, operation => Assert.Contains(paths[operation], ToeplitzKey.AvailableImplementations));
    }

    [Theory]
    [InlineData("fastest")]
    [InlineData("2")]
    [InlineData("clmul")]
    public void An_override_naming_no_path_is_a_clear_error(string value)
    {
        ConfigurationException error = Assert.Throws<ConfigurationException>(() => ToeplitzPathChooser.Choose(value));

        Assert.Equal("VNETHASH_TOEPLITZ", error.Field);
        Assert.Equal(ConfigurationRule.UnknownToeplitzPath, error.Rule);
        Assert.Contains($"\"{value}\" names no Toeplitz path", error.Detail, StringComparison.Ordinal);
        Assert.Contains("CarrylessMultiply", error.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_override_naming_a_path_this_cpu_lacks_is_a_clear_error()
    {
        ToeplitzImplementation[] missing = [.. Enum.GetValues<ToeplitzImplementation>().Where(i => !ToeplitzKey.IsSupported(i))];
        Skip.If(missing.Length == 0, "This CPU supports every Toeplitz path.");

        foreach (ToeplitzImplementation implementation in missing)
        {
            ConfigurationException error = Assert.Throws<ConfigurationException>(() => ToeplitzPathChooser.Choose(implementation.ToString()));
            Assert.Equal(ConfigurationRule.UnsupportedToeplitzPath, error.Rule);
            Assert.Contains(ToeplitzKey.RequiredInstructions(implementation), error.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Keys_mixing_paths_per_operation_match_the_bitwise_definition()
    {
        Gen<ToeplitzImplementation> path = Gen.Int[0, ToeplitzKey.AvailableImplementations.Count - 1].Select(i => ToeplitzKey.AvailableImplementations[i]);
        Gen<(ToeplitzPaths Paths, byte[] Key, byte[] Inputs, int Offset)> cases =
            from paths in Gen.Select(path, path, path, path, path, (a, b, c, d, e) => new ToeplitzPaths(a, b, c, d, e))
            from key in Gen.Byte.Array[Gen.OneOf(Gen.Const(40), Gen.Int[16, 60])]
            from inputs in Gen.Byte.Array[5 * 36]
            from offset in Gen.Int[0, 8]
            select (paths, key, inputs, offset);

        cases.Sample(
            (paths, keyBytes, inputs, offset) =>
            {
                var key = new ToeplitzKey(keyBytes, paths);
                foreach (int length in new[] { 8, 12, 36 }.Where(l => l + offset <= key.MaxInputLength))
                {
                    ReadOnlySpan<byte> input = inputs.AsSpan(0, length);
                    byte[] padded = new byte[offset + length];
                    input.CopyTo(padded.AsSpan(offset));
                    Assert.Equal(ToeplitzReference.Hash(keyBytes, input), key.Hash(input));
                    Assert.Equal(ToeplitzReference.Hash(keyBytes, padded), key.Hash(input, offset));

                    uint[] hashes = new uint[5];
                    key.HashBatch(inputs, length, 36, hashes);
                    for (int i = 0; i < hashes.Length; i++)
                    {
                        Assert.Equal(ToeplitzReference.Hash(keyBytes, inputs.AsSpan(i * 36, length)), hashes[i]);
                    }
                }

                if (key.MaxInputLength >= 12)
                {
                    Assert.Equal(ToeplitzReference.Hash(keyBytes, inputs.AsSpan(0, 12)), key.HashIPv4(inputs.AsSpan(0, 8), inputs.AsSpan(8, 4)));
                }

                if (key.MaxInputLength >= 36)
                {
                    Assert.Equal(ToeplitzReference.Hash(keyBytes, inputs.AsSpan(0, 36)), key.HashIPv6(inputs.AsSpan(0, 32), inputs.AsSpan(32, 4)));
                }
            },
            iter: 300);
    }

    private static long Ticks(double microseconds) => (long)(microseconds * Stopwatch.Frequency / 1e6);

    /// <summary>
    /// Timings for <see cref="ToeplitzPathChooser.MeasureWith"/> from a script of (candidate, how many calls it had at
    /// this operation before, passes), every call kept: the first two per candidate and operation are the looks.
    /// </summary>
    private sealed class ScriptedClock(int candidates, Func<int, int, int, long> ticks)
    {
        public List<(int Candidate, ToeplitzOperation Operation, int Passes)> Calls { get; } = [];

        public IEnumerable<(int Candidate, ToeplitzOperation Operation, int Passes)> Rounds => Calls.Skip(2 * Operations.Length * candidates);

        public long Time(int candidate, ToeplitzOperation operation, int passes)
        {
            int earlier = Calls.Count(call => call.Candidate == candidate && call.Operation == operation);
            Calls.Add((candidate, operation, passes));
            return ticks(candidate, earlier, passes);
        }
    }

    [Fact]
    public void The_timed_loops_and_every_kernel_they_call_are_compiled_fully_optimised()
    {
        // Timing at start-up would otherwise measure unoptimised (tier-0) code: a kernel left to tiered compilation ran
        // 3.5 times slower in the choice than once optimised, and Auto took the table for the 36-byte tuple. So every
        // method of the key that the loops reach through calls is inlined into its caller or compiled fully optimised
        // on first call; the walk follows the IL's calls, so a kernel added later is checked without being named here.
        string[] loops = ["TimeHash12", "TimeHash36", "TimeHashOther", "TimeBatch"];
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>(typeof(ToeplitzKey).GetMethods(BindingFlags.Instance | BindingFlags.NonPublic).Where(m => loops.Contains(m.Name)));
        Assert.Equal(loops.Length, pending.Count);
        while (pending.TryPop(out MethodBase? method))
        {
            if (!seen.Add(method))
            {
                continue;
            }

            MethodImplAttributes flags = method.MethodImplementationFlags;
            bool small = !flags.HasFlag(MethodImplAttributes.NoInlining) && method.GetMethodBody()?.GetILAsByteArray()?.Length <= AlwaysInlinedILBytes;
            Assert.True(
                flags.HasFlag(MethodImplAttributes.AggressiveInlining) || flags.HasFlag(MethodImplAttributes.AggressiveOptimization) || small,
                $"{method.Name} is reached from the timed loops but neither inlined nor compiled fully optimised.");
            foreach (MethodBase callee in CalledMethods(method).Where(c => c.DeclaringType == typeof(ToeplitzKey) && !IsThrowHelper(c)))
            {
                pending.Push(callee);
            }
        }

        // The walk reaches every path's kernels, through the inlined dispatch and the out-of-line ones.
        Assert.Superset(
            new HashSet<string> { "HashGfni12", "HashGfni36", "HashClmul12", "HashClmul36", "HashClmul36Narrow", "HashTupleAt", "HashTable", "HashClmul", "HashGfni512", "HashGfni256", "HashBatchOn", "HashBatchClmul", "HashBatchGfni512", "HashGfni256Tuple12", "HashGfni256Tuple36", "HashBatchGfni256" },
            seen.Select(m => m.Name).ToHashSet());
    }

    // A throw helper: out of line on purpose, and reached only on the way to an exception.
    private static bool IsThrowHelper(MethodBase method) =>
        method.Name.StartsWith("Throw", StringComparison.Ordinal) && method.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining);

    // RyuJIT inlines a method of at most this many IL bytes wherever it can, attribute or not.
    private const int AlwaysInlinedILBytes = 16;

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj, ldftn).</summary>
    private static IEnumerable<MethodBase> CalledMethods(MethodBase method)
    {
        byte[] il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        Type[] typeArguments = method.DeclaringType?.GetGenericArguments() ?? [];
        Type[] methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : [];
        for (int at = 0; at < il.Length;)
        {
            OpCode opCode = il[at] == 0xFE ? TwoByteOpCodes[il[at + 1]] : OneByteOpCodes[il[at]];
            at += opCode.Size;
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                yield return method.Module.ResolveMethod(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!;
            }

            at += opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }

    private static readonly OpCode[] AllOpCodes = [.. typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!)];
    private static readonly Dictionary<byte, OpCode> OneByteOpCodes = AllOpCodes.Where(o => o.Size == 1).ToDictionary(o => (byte)o.Value);
    private static readonly Dictionary<byte, OpCode> TwoByteOpCodes = AllOpCodes.Where(o => o.Size == 2).ToDictionary(o => (byte)(o.Value & 0xFF));
}
