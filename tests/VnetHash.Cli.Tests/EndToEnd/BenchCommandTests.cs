using System.Text.Json;
using VnetHash.Cli.Benchmarks;
using VnetHash.Cli.Tests.Benchmarks;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash bench</c> run as a process (names and shape only: timings are never asserted).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Json_lists_the_required_benchmarks()
    {
        Tool.Result result = Tool.Run("bench", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        string[] names = [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
        foreach (string name in new[] { "toeplitz-12-auto", "toeplitz-36-auto", "frame-ipv4-tcp", "frame-ipv6-tcp", "frame-ipv4-udp", "frame-ipv6-udp" })
        {
            Assert.Contains(name, names);
        }

        Assert.All(json.RootElement.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("ns_per_op").GetDouble() > 0));

        // The framework-dependent tool: the JIT compiles for this CPU (the native builds name their level).
        Assert.Equal("jit", json.RootElement.GetProperty("build").GetString());
    }

    /// <summary>The runs are taken in turn on each CPU the tool may use (it inherits this thread's), and the JSON names them.</summary>
    [Fact]
    public void Runs_are_spread_over_every_cpu_the_process_may_use()
    {
        int[] allowed = CpuRotation.AllowedCpus();

        int[] cpus = BenchCpus();

        // Each case takes tens of runs: enough to visit a few CPUs, not every CPU of a large machine.
        if (allowed.Length <= 8)
        {
            Assert.Equal(allowed, cpus);
        }
        else
        {
            Assert.True(cpus.Length >= 2 && cpus.All(allowed.Contains), $"runs on CPUs {string.Join(", ", cpus)} of {string.Join(", ", allowed)}");
        }
    }

    /// <summary>`taskset -c N vnethash bench` times CPU N alone, and says so.</summary>
    [Fact]
    public void A_tool_limited_to_one_cpu_runs_there_and_names_it() =>
        CpuRotationTests.OnThreadLimitedToOneCpu(only => Assert.Equal([only], BenchCpus()));

    [RootFact]
    public void With_bpf_the_steering_program_is_timed_on_tcp_and_on_a_non_ip_frame()
    {
        Tool.Result result = Tool.Run("bench", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        string[] names = [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
        Assert.Contains("ebpf-ipv4-tcp", names);
        Assert.Contains("ebpf-ipv6-tcp", names);
        Assert.Contains("ebpf-non-ip", names);
    }

    /// <summary>Issue "eBPF steering at a third of QEMU's cost": without bpf(2) the eBPF cases are skipped with a stated reason.</summary>
    [RootFact]
    public void Without_bpf_the_steering_cases_are_skipped_with_the_reason()
    {
        // The nobody user: kernel.unprivileged_bpf_disabled (or the missing CAP_BPF) refuses BPF_PROG_LOAD.
        Tool.Result result = Tool.RunAs(65534, "bench", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        string[] measured = [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
        Assert.DoesNotContain(measured, n => n.StartsWith("ebpf-", StringComparison.Ordinal));
        JsonElement[] skipped = [.. json.RootElement.GetProperty("skipped").EnumerateArray().Where(r => r.GetProperty("name").GetString()!.StartsWith("ebpf-", StringComparison.Ordinal))];
        Assert.Equal(3, skipped.Length);
        Assert.All(skipped, r => Assert.Contains("EPERM", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
    }

    /// <summary>Issue "Toeplitz at hardware speed on every CPU": the default key's cases name the path it chose.</summary>
    [Fact]
    public void The_auto_cases_name_the_path_the_default_key_chose()
    {
        Tool.Result result = Tool.RunWithEnvironment(new Dictionary<string, string> { ["VNETHASH_TOEPLITZ"] = "" }, "bench", "--json", "--filter", "-auto");

        Assert.Equal(0, result.ExitCode);
        Dictionary<string, string> paths = AutoPaths(result);
        Assert.Equal(["toeplitz-12-auto", "toeplitz-36-auto"], paths.Keys.Order());
        Assert.All(paths.Values, path => Assert.Contains(path, new[] { "table", "clmul", "gfni256", "gfni512" }));
    }

    [Fact]
    public void Vnethash_toeplitz_forces_the_path_of_the_default_key()
    {
        Tool.Result result = Tool.RunWithEnvironment(new Dictionary<string, string> { ["VNETHASH_TOEPLITZ"] = "Table" }, "bench", "--json", "--filter", "-auto");

        Assert.Equal(0, result.ExitCode);
        Assert.All(AutoPaths(result).Values, path => Assert.Equal("table", path));
    }

    [Fact]
    public void A_vnethash_toeplitz_naming_no_path_is_a_configuration_error()
    {
        Tool.Result result = Tool.RunWithEnvironment(new Dictionary<string, string> { ["VNETHASH_TOEPLITZ"] = "fastest" }, "bench", "--json", "--filter", "-auto");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("VNETHASH_TOEPLITZ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"fastest\" names no Toeplitz path", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same CPU with AVX-512 hidden from the runtime (DOTNET_EnableAVX512=0): Auto chooses among the paths the
    /// runtime still reports, and the AVX-512 path is listed as skipped, with the reason: switched off where this CPU
    /// has the instructions (as this test's own process sees), missing where it does not.
    /// </summary>
    [Fact]
    public void Without_avx512_reported_auto_chooses_among_the_other_paths()
    {
        Tool.Result result = Tool.RunWithEnvironment(
            new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0", ["VNETHASH_TOEPLITZ"] = "" }, "bench", "--json", "--filter", "toeplitz-12");

        Assert.Equal(0, result.ExitCode);
        Assert.All(AutoPaths(result).Values, path => Assert.Contains(path, new[] { "table", "clmul", "gfni256" }));
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement skipped = Assert.Single(json.RootElement.GetProperty("skipped").EnumerateArray(), r => r.GetProperty("name").GetString() == "toeplitz-12-gfni512");
        Assert.Contains(WhyGfni512IsMissingWithAvx512Off, skipped.GetProperty("reason").GetString()!, StringComparison.Ordinal);
    }

    /// <summary>
    /// Forcing a path the runtime cannot take is the configuration error (exit 2), on every CPU: with AVX-512 switched
    /// off in the tool's runtime, <c>Gfni512</c> is such a path whatever this CPU has, and the message says which.
    /// </summary>
    [Fact]
    public void Vnethash_toeplitz_naming_a_path_the_runtime_lacks_is_a_configuration_error_that_says_why()
    {
        Tool.Result result = Tool.RunWithEnvironment(
            new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0", ["VNETHASH_TOEPLITZ"] = "Gfni512" }, "bench", "--json", "--filter", "-auto");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("VNETHASH_TOEPLITZ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the Gfni512 path needs GFNI with AVX-512BW and AVX-512 VBMI", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(WhyGfni512IsMissingWithAvx512Off, result.Stderr, StringComparison.Ordinal);
    }

    // What the tool says of Gfni512 under DOTNET_EnableAVX512=0: switched off where this CPU has the instructions (as
    // this test's own process sees), missing where it does not.
    private static string WhyGfni512IsMissingWithAvx512Off => ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni512)
        ? "this CPU reports them, but the runtime has them switched off"
        : "which this CPU does not report";

    private static Dictionary<string, string> AutoPaths(Tool.Result result)
    {
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("name").GetString()!.EndsWith("-auto", StringComparison.Ordinal))
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("path").GetString()!);
    }

    [Fact]
    public void Toeplitz_paths_this_cpu_lacks_are_skipped_with_the_instructions_they_need()
    {
        Tool.Result result = Tool.Run("bench", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        var listed = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)
            .Concat(json.RootElement.GetProperty("skipped").EnumerateArray().Select(r => r.GetProperty("name").GetString()!))
            .ToHashSet();
        foreach (string path in new[] { "table", "clmul", "gfni256", "gfni512" })
        {
            Assert.Contains($"toeplitz-12-{path}", listed);
            Assert.Contains($"toeplitz-36-{path}-batch", listed);
        }

        Assert.All(
            json.RootElement.GetProperty("skipped").EnumerateArray().Where(r => r.GetProperty("name").GetString()!.StartsWith("toeplitz-", StringComparison.Ordinal)),
            r => Assert.Contains("GFNI", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
    }

    private static int[] BenchCpus()
    {
        Tool.Result result = Tool.Run("bench", "--json", "--filter", "toeplitz-12-table");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.GetProperty("cpus").EnumerateArray().Select(c => c.GetInt32())];
    }
}
