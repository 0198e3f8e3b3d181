using System.IO.Compression;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VnetHash.Hashing;
using VnetHash.Packages.Tests.Infrastructure;
using VnetHash.TestSupport;

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
        // Three builds: the portable one, which starts the others where the CPU runs them, and the two levels.
        Assert.Equal(
            ["VnetHash.Cli", "VnetHash.Cli.x86-64-v3", "VnetHash.Cli.x86-64-v4-gfni"],
            native.Entries.Select(e => e.Name).Where(n => n.StartsWith("VnetHash.Cli", StringComparison.Ordinal) && !n.EndsWith(".dbg", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dotnet_tool_install_takes_the_native_package_here_and_it_runs()
    {
        string toolPath = Install("installed-tool");

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

        // The portable build is compiled for a baseline without AVX, so it cannot take the AVX-512 path; its bench says
        // why: compiled without the instructions where this CPU has them (as this test's JIT-compiled process sees),
        // missing from the CPU where it does not.
        Command.Result bench = Command.Run(Path.Combine(toolPath, "vnethash"), ["bench", "--json", "--filter", "toeplitz-12-gfni512"], environment: Level("portable"));
        Assert.True(bench.ExitCode == 0, bench.All);
        Assert.Equal("portable", BuildOf(bench));
        Assert.Contains(
            ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni512) ? "this CPU reports them, but this program was compiled ahead of time (Native AOT) without them" : "which this CPU does not report",
            bench.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_installed_native_tool_starts_the_highest_build_this_CPU_runs()
    {
        string toolPath = Install("installed-levels");
        string vnethash = Path.Combine(toolPath, "vnethash");

        // The level this CPU and kernel provide, as the runtime that runs this test sees it.
        Command.Result chosen = Command.Run(vnethash, ["bench", "--json", "--filter", "toeplitz-12-gfni512"]);
        Assert.True(chosen.ExitCode == 0, chosen.All);
        Assert.Equal(CpuLevel, BuildOf(chosen));
        bool gfni512Runs = ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni512);
        Assert.Equal(gfni512Runs ? 2 : 0, Results(chosen));

        // VNETHASH_NATIVE_LEVEL caps the level, in any case; a level above the CPU's is not taken; empty is unset.
        foreach ((string cap, string expected) in Levels.Select(l => (l.ToUpperInvariant(), Lower(l, CpuLevel))).Append(("", CpuLevel)))
        {
            Assert.Equal(expected, StartedBuild([vnethash], cap));
        }

        Command.Result bad = Command.Run(vnethash, ["--version"], environment: Level("x86-64-v5"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("VNETHASH_NATIVE_LEVEL: UnknownNativeLevel: \"x86-64-v5\" names no build; use one of portable, x86-64-v3, x86-64-v4-gfni", bad.Error, StringComparison.Ordinal);

        // Arguments and exit codes pass through the chosen build: a missing capture exits 1 and is named.
        Command.Result missing = Command.Run(vnethash, ["analyze", Path.Combine(repository.Work, "no-such.pcap")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no-such.pcap", missing.Error, StringComparison.Ordinal);

        // The text report names the build too.
        Command.Result text = Command.Run(vnethash, ["bench", "--filter", "none"]);
        Assert.True(text.ExitCode == 0, text.All);
        Assert.Contains($"Build: {CpuLevel}.", text.Output, StringComparison.Ordinal);

        // Each level's own executable is that build, and chooses nothing (a bad cap is not even read); on a CPU below
        // its level the runtime refuses to start it.
        string installed = InstalledDirectory(toolPath);
        foreach (string level in Levels.Skip(1))
        {
            string direct = BuildFile(installed, level);
            if (Array.IndexOf(Levels, level) <= Array.IndexOf(Levels, CpuLevel))
            {
                Assert.Equal(level, StartedBuild([direct], "x86-64-v5"));
            }
            else
            {
                Assert.NotEqual(0, Command.Run(direct, ["bench", "--json", "--filter", "none"]).ExitCode);
            }
        }

        // Without the x86-64-v4-gfni build beside it, the portable build takes the next level down; a name that links back
        // to the portable build itself is passed over, not started again and again.
        string partial = CopyBuilds(installed, Path.Combine(repository.Work, "levels-without-v4-gfni"), "VnetHash.Cli", "VnetHash.Cli.x86-64-v3");
        Assert.Equal(Lower("x86-64-v3", CpuLevel), StartedBuild([Path.Combine(partial, "VnetHash.Cli")]));

        File.CreateSymbolicLink(Path.Combine(partial, "VnetHash.Cli.x86-64-v4-gfni"), "VnetHash.Cli");
        Assert.Equal(Lower("x86-64-v3", CpuLevel), StartedBuild(["timeout", "60", Path.Combine(partial, "VnetHash.Cli")]));
    }

    /// <summary>
    /// The choice on CPUs this machine is not: qemu's user-mode emulation runs the portable build with the CPUID of a
    /// Haswell (AVX2, no AVX-512) and of a Nehalem (SSE4.2, no AVX). The build it then starts runs outside the
    /// emulation, on this CPU, so the Haswell case needs a CPU here that runs x86-64-v3.
    /// </summary>
    [QemuFact]
    public void Under_an_emulated_Haswell_the_native_tool_starts_x86_64_v3_and_under_a_Nehalem_stays_portable()
    {
        string tool = Path.Combine(InstalledDirectory(Install("installed-emulated")), "VnetHash.Cli");
        var cases = new List<(string Cpu, string Build)> { ("Nehalem-v1", "portable") };
        if (CpuLevel != "portable")
        {
            cases.Add(("Haswell-v1", "x86-64-v3"));
        }

        foreach ((string cpu, string build) in cases)
        {
            Assert.Equal(build, StartedBuild([QemuFactAttribute.Qemu, "-cpu", cpu, tool]));
        }
    }

    /// <summary>
    /// Privileges given to the command's file (set-user-ID here, file capabilities alike) would not pass to another
    /// file, so a privileged start stays in the portable build.
    /// </summary>
    [RootFact("makes a copy of the native tool set-user-ID root and runs it as another user")]
    [SupportedOSPlatform("linux")]
    public void A_set_user_ID_native_tool_stays_in_the_portable_build()
    {
        string installed = InstalledDirectory(Install("installed-setuid"));

        // Outside the test's private work directory, which the other user cannot enter.
        DirectoryInfo open = Directory.CreateTempSubdirectory("vnethash-setuid-");
        try
        {
            open.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            string copy = CopyBuilds(installed, open.FullName, "VnetHash.Cli", "VnetHash.Cli.x86-64-v3", "VnetHash.Cli.x86-64-v4-gfni");
            foreach (string build in Directory.GetFiles(copy))
            {
                // NuGet leaves the package's files to their owner alone (rwxr--r--).
                File.SetUnixFileMode(build, open.UnixFileMode);
            }

            string tool = Path.Combine(copy, "VnetHash.Cli");
            string[] asNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", tool];

            Assert.Equal(CpuLevel, StartedBuild(asNobody));

            File.SetUnixFileMode(tool, File.GetUnixFileMode(tool) | UnixFileMode.SetUser);
            Assert.Equal("portable", StartedBuild(asNobody));
        }
        finally
        {
            open.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Each native build asks the kernel, before its runtime starts, for the zero-filled end of its writable segment
    /// (.bss, then the .hydrated section the runtime writes its data into) in one madvise(MADV_POPULATE_WRITE)
    /// (<c>Native/populate_data.c</c>); started through the portable build, only the build that runs asks.
    /// </summary>
    [FileFact("/usr/bin/strace", "strace")]
    public void Each_native_build_asks_for_its_data_pages_in_one_call_before_its_runtime_starts()
    {
        string installed = InstalledDirectory(Install("installed-populate"));
        foreach (string level in Levels.Take(Array.IndexOf(Levels, CpuLevel) + 1))
        {
            string build = BuildFile(installed, level);
            Assert.Equal([ZeroFilledLength(build)], PopulateCalls(build, level));
        }

        // Through the command: one call, the chosen build's; the portable build hands over before it would ask.
        Assert.Equal([ZeroFilledLength(BuildFile(installed, CpuLevel))], PopulateCalls(BuildFile(installed, "portable"), cap: null));
    }

    /// <summary>The bytes of whole pages from the end of the file's part of the writable segment to the segment's end,
    /// checked to hold the .hydrated section.</summary>
    private static long ZeroFilledLength(string executable)
    {
        Command.Result segments = Command.Run("readelf", ["-lW", executable]);
        Command.Result sections = Command.Run("readelf", ["-SW", executable]);
        Assert.True(segments.ExitCode == 0 && sections.ExitCode == 0, segments.All + sections.All);
        long[] writable = [.. Regex.Match(segments.Output, @"^\s*LOAD\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+RW\b", RegexOptions.Multiline)
            .Groups.Values.Skip(1).Select(g => Convert.ToInt64(g.Value, 16))];
        long[] hydrated = [.. Regex.Match(sections.Output, @"\.hydrated\s+NOBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)")
            .Groups.Values.Skip(1).Select(g => Convert.ToInt64(g.Value, 16))];
        Assert.True(writable.Length == 3 && hydrated.Length == 2, segments.Output + sections.Output);

        long page = Environment.SystemPageSize;
        long start = RoundUp(writable[0] + writable[1], page);
        long end = RoundUp(writable[0] + writable[2], page);
        Assert.InRange(hydrated[0], start, end);
        Assert.InRange(hydrated[0] + hydrated[1], start, end);
        return end - start;

        static long RoundUp(long value, long page) => (value + page - 1) / page * page;
    }

    /// <summary>The lengths of the MADV_POPULATE_WRITE calls a run of <paramref name="executable"/> makes, each checked to
    /// succeed where the kernel has the call (5.14 and later).</summary>
    private long[] PopulateCalls(string executable, string? cap)
    {
        string trace = Path.Combine(repository.Work, $"populate-{Path.GetFileName(executable)}-{cap ?? "chosen"}.trace");
        Command.Result run = Command.Run("strace", ["-f", "-qq", "-e", "trace=madvise", "-o", trace, executable, "--version"], environment: cap is null ? null : Level(cap));
        Assert.True(run.ExitCode == 0, run.All);
        MatchCollection calls = Regex.Matches(File.ReadAllText(trace), @"madvise\(0x[0-9a-f]+, (\d+), MADV_POPULATE_WRITE\) = (.*)$", RegexOptions.Multiline);
        Assert.All(calls, call => Assert.True(call.Groups[2].Value == "0" || Environment.OSVersion.Version < new Version(5, 14), call.Value));
        return [.. calls.Select(call => long.Parse(call.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Installs the packed tool as a user does, into a tool path of its own; returns that path.</summary>
    private string Install(string name)
    {
        Assert.All(repository.NativeTool, pack => Assert.True(pack.ExitCode == 0, pack.All));
        string toolPath = Path.Combine(repository.Work, name);
        Command.Result install = Command.Run("dotnet", ["tool", "install", "--tool-path", toolPath, "--add-source", repository.NativeToolDirectory, "VnetHash.Tool", "--version", repository.Version]);
        Assert.True(install.ExitCode == 0, install.All);
        return toolPath;
    }

    private static string InstalledDirectory(string toolPath) =>
        Path.GetDirectoryName(Directory.GetFiles(toolPath, "VnetHash.Cli", SearchOption.AllDirectories).Single())!;

    /// <summary>The executable of a level's build in an installed tool: the portable build is the command itself.</summary>
    private static string BuildFile(string installed, string level) =>
        Path.Combine(installed, level == "portable" ? "VnetHash.Cli" : "VnetHash.Cli." + level);

    /// <summary>Copies the named executables of an installed tool into <paramref name="directory"/>; returns it.</summary>
    private static string CopyBuilds(string installed, string directory, params string[] names)
    {
        Directory.CreateDirectory(directory);
        foreach (string name in names)
        {
            File.Copy(Path.Combine(installed, name), Path.Combine(directory, name));
        }

        return directory;
    }

    private static readonly string[] Levels = ["portable", "x86-64-v3", "x86-64-v4-gfni"];

    // In .NET 10 each of these stands for its whole group: the runtime reports AVX2 only with BMI1, BMI2, F16C, FMA,
    // LZCNT and MOVBE, AVX-512F only with BW, CD, DQ and VL, VBMI only with IFMA, AES only with PCLMULQDQ, and the
    // 512-bit carry-less multiply only with VAES and VPCLMULQDQ, each with the kernel saving the registers.
    private static string CpuLevel =>
        Avx512Vbmi.IsSupported && Gfni.V512.IsSupported && Pclmulqdq.V512.IsSupported && System.Runtime.Intrinsics.X86.Aes.IsSupported ? "x86-64-v4-gfni"
        : Avx2.IsSupported ? "x86-64-v3"
        : "portable";

    private static string Lower(string a, string b) => Levels[Math.Min(Array.IndexOf(Levels, a), Array.IndexOf(Levels, b))];

    private static Dictionary<string, string> Level(string level) => new() { ["VNETHASH_NATIVE_LEVEL"] = level };

    /// <summary>
    /// Runs <paramref name="command"/> (the tool, or a launcher and its arguments ending in the tool) with a bench that
    /// times nothing, under the cap given if any; returns the build it names.
    /// </summary>
    private static string StartedBuild(string[] command, string? cap = null)
    {
        Command.Result bench = Command.Run(command[0], [.. command.Skip(1), "bench", "--json", "--filter", "none"], environment: cap is null ? null : Level(cap));
        Assert.True(bench.ExitCode == 0, bench.All);
        return BuildOf(bench);
    }

    private static string BuildOf(Command.Result bench)
    {
        using JsonDocument json = JsonDocument.Parse(bench.Output);
        return json.RootElement.GetProperty("build").GetString()!;
    }

    private static int Results(Command.Result bench)
    {
        using JsonDocument json = JsonDocument.Parse(bench.Output);
        return json.RootElement.GetProperty("results").GetArrayLength();
    }
}
