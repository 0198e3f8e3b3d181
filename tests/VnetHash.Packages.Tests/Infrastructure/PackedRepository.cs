using System.Reflection;
using System.Runtime.InteropServices;

using VnetHash.TestSupport;

namespace VnetHash.Packages.Tests.Infrastructure;

/// <summary>
/// The repository packed once per test run (under a version of its own, so no earlier package in the NuGet cache
/// stands in for it), and the sample restored from those packages and published with Native AOT.
/// </summary>
public sealed class PackedRepository : IDisposable
{
    private readonly Lazy<Command.Result> _pack;
    private readonly Lazy<Command.Result> _publish;
    private readonly Lazy<Command.Result[]> _nativeTool;

    public PackedRepository()
    {
        Root = Repository.FindRoot();
        Configuration = Metadata("Configuration");
        Version = $"{Metadata("Version")}-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Work = Directory.CreateTempSubdirectory("vnethash-packages-").FullName;
        _pack = new(Pack);
        _publish = new(Publish);
        _nativeTool = new(PackNativeTool);
    }

    public string Root { get; }

    public string Configuration { get; }

    public string Version { get; }

    public string Work { get; }

    public string PackageDirectory => Path.Combine(Work, "packages");

    /// <summary>The published sample: one native executable.</summary>
    public string SampleExecutable => Path.Combine(Work, "app", "VnetHash.Sample");

    public string SampleSource => Path.Combine(Root, "samples", "VnetHash.Sample", "Program.cs");

    /// <summary><c>dotnet pack</c> at the root, from the build these tests were built with.</summary>
    public Command.Result Packed => _pack.Value;

    /// <summary><c>dotnet publish</c> of the sample with Native AOT, restored from <see cref="PackageDirectory"/>.</summary>
    public Command.Result Published => _publish.Value;

    /// <summary>Where <see cref="NativeTool"/> put the tool packages.</summary>
    public string NativeToolDirectory => Path.Combine(Work, "native-tool");

    /// <summary>
    /// The tool packed as the README's release does (<c>-p:NativeTool=true</c>): the pointer package, then
    /// linux-x64 with Native AOT and the framework-dependent <c>any</c>, each built apart from the build under test.
    /// </summary>
    public IReadOnlyList<Command.Result> NativeTool => _nativeTool.Value;

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(PackageDirectory, $"{id}.{Version}.{extension}");

    public void Dispose() => Directory.Delete(Work, recursive: true);

    // The nuspecs of this run's test version go with the run, not into the projects' obj/.
    private string NuspecOutput => $"-p:NuspecOutputPath={Path.Combine(Work, "nuspec")}/";

    private Command.Result Pack()
    {
        using IDisposable packing = ToolPackLock.Take();
        return Command.Run("dotnet", [
            "pack", Path.Combine(Root, "VnetHash.slnx"), "-c", Configuration, "--no-build", "-o", PackageDirectory, $"-p:PackageVersion={Version}", NuspecOutput]);
    }

    private Command.Result[] PackNativeTool()
    {
        string project = Path.Combine(Repository.ToolProjectDirectory, "VnetHash.Cli.csproj");
        string[] common = ["-o", NativeToolDirectory, "-p:NativeTool=true", $"-p:PackageVersion={Version}"];
        Command.Result pointer;
        using (ToolPackLock.Take())
        {
            pointer = Command.Run("dotnet", ["pack", project, "-c", Configuration, "--no-build", NuspecOutput, .. common]);
        }

        // Each runtime's package is built apart, under an artifacts path of its own: no lock.
        return
        [
            pointer,
            .. new[] { "linux-x64", "any" }.Select(rid => Command.Run("dotnet", [
                "pack", project, "-c", "Release", "-r", rid, "--artifacts-path", Path.Combine(Work, "artifacts-" + rid), .. common])),
        ];
    }

    private Command.Result Publish()
    {
        Assert.Equal(0, Packed.ExitCode);

        // Outside the repository, as a user's project is: none of the repository's build files apply.
        string project = Path.Combine(Work, "sample");
        Directory.CreateDirectory(project);
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(SampleSource)!))
        {
            File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
        }

        return Command.Run(
            "dotnet",
            ["publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", Path.Combine(Work, "app"),
             $"-p:VnetHashVersion={Version}", $"-p:RestoreAdditionalProjectSources={PackageDirectory}"],
            project);
    }

    private static string Metadata(string key) =>
        typeof(PackedRepository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
