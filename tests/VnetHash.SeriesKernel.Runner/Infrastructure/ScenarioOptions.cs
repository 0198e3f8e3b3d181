using VnetHash.Tap.Probing;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>The runner's options: <c>--expect v5|v12</c>, <c>--vectors PATH</c>, <c>--frames N</c>, <c>--seed N</c>.</summary>
internal sealed record ScenarioOptions
{
    public KernelHashGeneration? Expect { get; init; }

    public string VectorsPath { get; init; } = string.Empty;

    public int Frames { get; init; } = 3000;

    public int Seed { get; init; } = 20251125;

    public static ScenarioOptions Parse(ReadOnlySpan<string> arguments)
    {
        var options = new ScenarioOptions();
        for (int i = 0; i < arguments.Length; i++)
        {
            string name = arguments[i];
            string value = i + 1 < arguments.Length ? arguments[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--expect" => options with
                {
                    Expect = value switch
                    {
                        "v5" => KernelHashGeneration.V5,
                        "v12" => KernelHashGeneration.V12,
                        _ => throw new ArgumentException($"--expect takes v5 or v12, got '{value}'"),
                    },
                },
                "--vectors" => options with { VectorsPath = value },
                "--frames" => options with { Frames = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new ArgumentException("--frames must be positive") },
                "--seed" => options with { Seed = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }

        return options.VectorsPath.Length == 0 ? options with { VectorsPath = SelftestVector.DefaultPath() } : options;
    }
}
