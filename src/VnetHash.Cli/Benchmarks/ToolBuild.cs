using System.Runtime.CompilerServices;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// Which build of the tool runs, since its speed depends on it: the JIT compiles for the CPU it finds, a Native AOT
/// build for the instruction sets it was compiled for. The linux-x64 native package holds three builds and starts
/// the highest the CPU runs (docs/design.md, "the native tool's instruction sets").
/// </summary>
internal static class ToolBuild
{
    /// <summary>The switch the native build is compiled with (the project file sets it per build).</summary>
    private const string LevelSwitch = "VnetHash.NativeToolLevel";

    /// <summary>
    /// <c>jit</c>; for a Native AOT build its x86-64 level (<c>portable</c>, <c>x86-64-v3</c>, <c>x86-64-v4-gfni</c>), or
    /// <c>native</c> when built without one.
    /// </summary>
    public static string Name => RuntimeFeature.IsDynamicCodeCompiled ? "jit" : AppContext.GetData(LevelSwitch) as string ?? "native";
}
