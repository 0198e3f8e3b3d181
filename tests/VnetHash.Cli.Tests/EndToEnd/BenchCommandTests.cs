using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

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
        foreach (string prefix in new[] { "toeplitz-12", "toeplitz-36", "frame-ipv4-tcp", "frame-ipv6-tcp" })
        {
            Assert.Contains(names, n => n.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.All(json.RootElement.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("ns_per_op").GetDouble() > 0));
    }

    [RootFact]
    public void With_bpf_the_steering_program_and_the_trivial_program_are_listed()
    {
        Tool.Result result = Tool.Run("bench", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        string[] names = [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
        Assert.Contains("ebpf-ipv4-tcp", names);
        Assert.Contains("ebpf-ipv6-tcp", names);
        Assert.Contains("ebpf-trivial", names);
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
}
