using System.IO.Compression;
using System.Xml.Linq;
using VnetHash.Hashing;
using VnetHash.Packages.Tests.Infrastructure;

namespace VnetHash.Packages.Tests;

/// <summary>
/// Issue "Libraries people can install", the tool as a native executable: packed with <c>-p:NativeTool=true</c>,
/// VnetHash.Tool points to a Native AOT package for linux-x64 and a framework-dependent one for every other
/// platform, and <c>dotnet tool install</c> on this machine installs and runs the native one.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed class NativeToolTests(PackedRepository repository)
{
    [Fact]
    public void The_pointer_package_names_the_native_and_the_fallback_packages_and_both_pack_without_warning()
    {
        Assert.All(repository.NativeTool, pack => Assert.True(pack.ExitCode == 0 && !pack.All.Contains("warning", StringComparison.OrdinalIgnoreCase), pack.All));

        using ZipArchive pointer = ZipFile.OpenRead(Path.Combine(repository.NativeToolDirectory, $"VnetHash.Tool.{repository.Version}.nupkg"));
        using Stream settings = pointer.Entries.Single(e => e.Name == "DotnetToolSettings.xml").Open();
        string[] runtimes = [.. XElement.Load(settings).Descendants("RuntimeIdentifierPackage").Select(p => $"{p.Attribute("RuntimeIdentifier")!.Value}={p.Attribute("Id")!.Value}")];
        Assert.Equal(["linux-x64=VnetHash.Tool.linux-x64", "any=VnetHash.Tool.any"], runtimes);
        Assert.DoesNotContain(pointer.Entries, e => e.Name.EndsWith(".dll", StringComparison.Ordinal));

        // The fallback is the framework-dependent tool; the linux-x64 package is one native executable.
        using ZipArchive any = ZipFile.OpenRead(Path.Combine(repository.NativeToolDirectory, $"VnetHash.Tool.any.{repository.Version}.nupkg"));
        Assert.Contains(any.Entries, e => e.Name == "VnetHash.Cli.dll");
        using ZipArchive native = ZipFile.OpenRead(Path.Combine(repository.NativeToolDirectory, $"VnetHash.Tool.linux-x64.{repository.Version}.nupkg"));
        Assert.DoesNotContain(native.Entries, e => e.Name.EndsWith(".dll", StringComparison.Ordinal));
        Assert.Contains(native.Entries, e => e.Name == "VnetHash.Cli");
    }

    [Fact]
    public void Dotnet_tool_install_takes_the_native_package_here_and_it_runs()
    {
        Assert.All(repository.NativeTool, pack => Assert.True(pack.ExitCode == 0, pack.All));
        string toolPath = Path.Combine(repository.Work, "installed-tool");

        Command.Result install = Command.Run("dotnet", ["tool", "install", "--tool-path", toolPath, "--add-source", repository.NativeToolDirectory, "VnetHash.Tool", "--version", repository.Version]);

        Assert.True(install.ExitCode == 0, install.All);
        // The native executable and no managed tool assembly (the fallback package would bring VnetHash.Cli.dll).
        Assert.NotEmpty(Directory.GetFiles(toolPath, "VnetHash.Cli", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(toolPath, "VnetHash.Cli.dll", SearchOption.AllDirectories));

        // Microsoft's RSS verification suite: TCP/IPv4 66.9.149.187:2794 -> 161.142.100.80:1766 with its key.
        Command.Result hash = Command.Run(Path.Combine(toolPath, "vnethash"), ["toeplitz", "--key", "microsoft", "--data", "420995bba18e64500aea06e6"]);
        Assert.True(hash.ExitCode == 0, hash.All);
        Assert.Equal("51ccc178", hash.Output.Trim());

        // The bundled capture (an embedded resource) and JSON output work in the native build too.
        Command.Result analyze = Command.Run(Path.Combine(toolPath, "vnethash"), ["analyze", "--json"]);
        Assert.True(analyze.ExitCode == 0, analyze.All);
        Assert.Contains("\"packets\":384", analyze.Output, StringComparison.Ordinal);

        // Native AOT compiles for a baseline without AVX, so the native build cannot take the AVX-512 path; its bench
        // says why: compiled without the instructions where this CPU has them (as this test's JIT-compiled process
        // sees), missing from the CPU where it does not.
        Command.Result bench = Command.Run(Path.Combine(toolPath, "vnethash"), ["bench", "--json", "--filter", "toeplitz-12-gfni512"]);
        Assert.True(bench.ExitCode == 0, bench.All);
        Assert.Contains(
            ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni512) ? "this CPU reports them, but this program was compiled ahead of time (Native AOT) without them" : "which this CPU does not report",
            bench.Output,
            StringComparison.Ordinal);
    }
}
