using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using VnetHash.Packages.Tests.Infrastructure;

namespace VnetHash.Packages.Tests;

/// <summary>
/// Issue "Libraries people can install": <c>dotnet pack</c> at the root makes VnetHash, VnetHash.Tap and
/// VnetHash.Tool with symbols and package validation, and the libraries carry product code only.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed class PackageTests(PackedRepository repository)
{
    private static readonly string[] Packages = ["VnetHash", "VnetHash.Tap", "VnetHash.Tool"];

    // Test scaffolding and the bpf(2) loader: none of them is public API of a library.
    private static readonly string[] NotPublic =
    [
        "FrameBuilder", "MixedFrameGenerator", "PacketSocket",
        "BpfProgram", "BpfMap", "BpfCollection", "BpfCollectionSpec", "BpfProgramSpec", "BpfMapSpec", "BpfTestRunResult",
    ];

    [Fact]
    public void Pack_at_the_root_makes_the_three_packages_and_their_symbol_packages()
    {
        Command.Result pack = repository.Packed;

        Assert.True(pack.ExitCode == 0, pack.All);
        Assert.DoesNotContain("warning", pack.All, StringComparison.OrdinalIgnoreCase);
        string[] expected = [.. Packages.SelectMany(id => new[] { $"{id}.{repository.Version}.nupkg", $"{id}.{repository.Version}.snupkg" }).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, Directory.GetFiles(repository.PackageDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("src/VnetHash/VnetHash.csproj")]
    [InlineData("src/VnetHash.Tap/VnetHash.Tap.csproj")]
    public void Each_library_package_is_validated_when_packed(string project)
    {
        // Package validation runs inside pack, where a failure fails it; this shows it is switched on. (The SDK
        // turns it off for tool packages, which provide no API.)
        Command.Result result = Command.Run("dotnet", ["msbuild", Path.Combine(repository.Root, project), "-getProperty:EnablePackageValidation", "-nologo"]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal("true", result.Output.Trim());
    }

    [Theory]
    [InlineData("VnetHash")]
    [InlineData("VnetHash.Tap")]
    [InlineData("VnetHash.Tool")]
    public void Each_package_has_its_version_licence_description_readme_and_source(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(repository.PackagePath(id));
        XElement metadata = Nuspec(package);
        XNamespace ns = metadata.Name.Namespace;

        Assert.Equal(id, metadata.Element(ns + "id")!.Value);
        Assert.Equal(repository.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Contains(package.Entries, e => e.FullName == "README.md");

        // The commit the package was built from; the URL too when the clone has a remote SourceLink knows.
        XElement repositoryElement = metadata.Element(ns + "repository")!;
        Assert.Matches("^[0-9a-f]{40}$", repositoryElement.Attribute("commit")!.Value);

        using ZipArchive symbols = ZipFile.OpenRead(repository.PackagePath(id, "snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tap_package_depends_on_the_core_package_of_the_same_version()
    {
        using ZipArchive package = ZipFile.OpenRead(repository.PackagePath("VnetHash.Tap"));
        XElement metadata = Nuspec(package);
        XElement[] dependencies = [.. metadata.Descendants(metadata.Name.Namespace + "dependency")];

        XElement core = Assert.Single(dependencies);
        Assert.Equal("VnetHash", core.Attribute("id")!.Value);
        Assert.Equal(repository.Version, core.Attribute("version")!.Value);
    }

    [Theory]
    [InlineData("VnetHash")]
    [InlineData("VnetHash.Tap")]
    public void A_library_package_holds_its_assembly_and_documentation_only_with_a_deterministic_build(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(repository.PackagePath(id));

        string[] lib = [.. package.Entries.Where(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal)).Select(e => e.FullName).Order(StringComparer.Ordinal)];
        Assert.Equal([$"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"], lib);

        using PEReader pe = Open(package, $"lib/net10.0/{id}.dll");
        Assert.Contains(pe.ReadDebugDirectory(), entry => entry.IsPortableCodeView);
        Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.Reproducible);
    }

    [Theory]
    [InlineData("VnetHash")]
    [InlineData("VnetHash.Tap")]
    public void Every_public_type_of_a_packed_library_is_in_its_public_api_files_and_none_is_test_scaffolding(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(repository.PackagePath(id));
        using PEReader pe = Open(package, $"lib/net10.0/{id}.dll");
        MetadataReader reader = pe.GetMetadataReader();
        string api = string.Join('\n', new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .Select(file => File.ReadAllText(Path.Combine(repository.Root, "src", id, file))));

        string[] types = [.. reader.TypeDefinitions.Select(reader.GetTypeDefinition).Where(IsPublic).Select(t => FullName(reader, t))];

        Assert.NotEmpty(types);
        Assert.All(types, type => Assert.Contains($"\n{type}", api, StringComparison.Ordinal));
        Assert.DoesNotContain(types, type => NotPublic.Contains(type[(type.LastIndexOf('.') + 1)..]));
    }

    [Fact]
    public void The_tool_package_carries_the_traffic_assembly_for_generate_and_hash()
    {
        using ZipArchive package = ZipFile.OpenRead(repository.PackagePath("VnetHash.Tool"));

        Assert.Contains(package.Entries, e => e.FullName.EndsWith("/VnetHash.Traffic.dll", StringComparison.Ordinal));
        Assert.Contains(package.Entries, e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
    }

    private static XElement Nuspec(ZipArchive package)
    {
        using Stream stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        XElement root = XElement.Load(stream);
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static PEReader Open(ZipArchive package, string path)
    {
        using Stream stream = package.GetEntry(path)!.Open();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return new PEReader(copy);
    }

    private static bool IsPublic(TypeDefinition type) => (type.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public;

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        string name = reader.GetString(type.Name);
        int arity = name.IndexOf('`', StringComparison.Ordinal);
        return $"{reader.GetString(type.Namespace)}.{(arity < 0 ? name : name[..arity])}";
    }
}
