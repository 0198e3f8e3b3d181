using System.Diagnostics;
using System.Text.Json;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.TestSupport;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// The tool's <c>vnethash probe --json</c> inside the series kernel must say that Auto takes the kernel-native backend
/// (<c>auto_backend</c> kernel, <c>kernel_native</c> true, <c>kernel_native_abi</c> the generation). It runs the tool
/// built next to this runner (src/VnetHash.Cli, same configuration).
/// </summary>
internal sealed class CliProbeScenario : IScenario
{
    public string Name => "cli-probe";

    public void Run(Report report, ScenarioOptions options)
    {
        string tool = ToolPath();
        ResultLine line = report.Line("vnethash-probe-json").Add("tool", Path.GetFileName(tool));
        if (!File.Exists(tool))
        {
            report.Result(line, $"the tool is not built at {tool}: build src/VnetHash.Cli first");
            return;
        }

        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { tool, "probe", "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the tool");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        line.Add("exit_code", process.ExitCode);
        JsonElement? root = Parse(output);
        if (process.ExitCode != 0 || root is not { } json)
        {
            report.Result(line.Add("stderr", error.GetAwaiter().GetResult().Trim()), $"vnethash probe --json exited with {process.ExitCode} and printed no JSON object");
            return;
        }

        string? backend = Find(json, "auto_backend")?.GetString();
        bool? native = Find(json, "kernel_native") is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;
        string? abi = Find(json, "kernel_native_abi")?.ToString();
        long? types = Find(json, "kernel_hash_types") is { ValueKind: JsonValueKind.Number } t ? t.GetInt64() : null;
        long? flags = Find(json, "kernel_hash_flags") is { ValueKind: JsonValueKind.Number } f ? f.GetInt64() : null;
        bool flagsNull = Find(json, "kernel_hash_flags") is { ValueKind: JsonValueKind.Null };
        line.Add("auto_backend", backend).Add("kernel_native", native).Add("kernel_native_abi", abi).Add("kernel_hash_types", types).Add("kernel_hash_flags", flags);

        // v5's TUNGETVNETHASHCAP answers REPORT | RSS (3); v12 has no capability flags, so the probe prints null.
        bool flagsRight = string.Equals(abi, "v5", StringComparison.OrdinalIgnoreCase) ? flags == 3 : flagsNull;
        string? expected = options.Expect?.ToString();
        report.Check(
            line,
            string.Equals(backend, "kernel", StringComparison.OrdinalIgnoreCase) && native == true && abi is not null
                && (expected is null || string.Equals(abi, expected, StringComparison.OrdinalIgnoreCase))
                && types == 0x3F && flagsRight,
            $"the probe must say auto_backend kernel, kernel_native true, kernel_native_abi {expected ?? "of the generation"}, kernel_hash_types 63 and kernel_hash_flags 3 (v5) or null (v12)");
    }

    private static string ToolPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string root = Repository.TryFindRoot() ?? throw new FileNotFoundException("no VnetHash.slnx above the runner");
        return Path.Combine(root, "src", "VnetHash.Cli", "bin", output.Parent!.Name, output.Name, "VnetHash.Cli.dll");
    }

    private static JsonElement? Parse(string output)
    {
        int start = output.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(output[start..]);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first property of that name, at any depth.</summary>
    private static JsonElement? Find(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    return property.Value;
                }

                if (Find(property.Value, name) is { } nested)
                {
                    return nested;
                }
            }
        }

        return null;
    }
}
