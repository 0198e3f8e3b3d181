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
}
