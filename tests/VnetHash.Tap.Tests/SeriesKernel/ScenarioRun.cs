using System.Text.Json;

namespace VnetHash.Tap.Tests.SeriesKernel;

/// <summary>What one runner scenario printed inside the series kernel.</summary>
internal sealed record ScenarioRun(string Scenario, string Abi, int ExitCode, IReadOnlyList<JsonElement> Results, string Output)
{
    /// <summary>The result named <paramref name="name"/>.</summary>
    public JsonElement Case(string name) =>
        Results.FirstOrDefault(r => r.GetProperty("case").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new Xunit.Sdk.XunitException($"{Scenario} on {Abi} printed no result '{name}':\n{Output}");

    /// <summary>Fails with every failing line unless the run exited 0 and every result passed.</summary>
    public void AssertAllPassed(int atLeast)
    {
        string[] failures = [.. Results.Where(r => !r.GetProperty("ok").GetBoolean()).Select(r => r.GetRawText())];
        if (ExitCode != 0 || failures.Length > 0 || Results.Count < atLeast)
        {
            throw new Xunit.Sdk.XunitException(
                $"{Scenario} on the {Abi} series kernel: exit code {ExitCode}, {Results.Count} results (at least {atLeast} expected), {failures.Length} failed:\n{string.Join('\n', failures)}\n--- output ---\n{Output}");
        }
    }
}
