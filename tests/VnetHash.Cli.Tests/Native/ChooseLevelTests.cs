using System.Globalization;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.Native;

/// <summary>
/// The native tool's choice of build (src/VnetHash.Cli/Native/choose_level.c) for CPUs this machine is not: the
/// chooser's decision, compiled into a small program with the test's CPUID and XCR0 values. A build chosen for a CPU
/// that lacks one of its instruction sets would stop at start, so the top level is checked with each of its additions
/// to x86-64-v3 missing in turn, and x86-64-v3 with some of its own. The installed tool's own choice on this CPU is
/// tested in VnetHash.Packages.Tests.
/// </summary>
public sealed class ChooseLevelTests(ChooseLevelTests.Harness harness) : IClassFixture<ChooseLevelTests.Harness>
{
    // CPUID leaf 1 ECX: SSE3 (0), SSSE3 (9), FMA (12), SSE4.1 (19), SSE4.2 (20), MOVBE (22), POPCNT (23), OSXSAVE (27),
    // AVX (28), F16C (29); PCLMULQDQ (1) and AES-NI (25).
    private const uint V2 = 1u << 0 | 1u << 9 | 1u << 19 | 1u << 20 | 1u << 23;
    private const uint Avx = V2 | 1u << 12 | 1u << 22 | 1u << 27 | 1u << 28 | 1u << 29;
    private const uint Leaf1 = Avx | 1u << 1 | 1u << 25;

    // Leaf 7 EBX: BMI1 (3), AVX2 (5), BMI2 (8); AVX-512 F (16), DQ (17), IFMA (21), CD (28), BW (30), VL (31).
    private const uint Avx2Group = 1u << 3 | 1u << 5 | 1u << 8;
    private const uint Avx512 = 1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31;
    private const uint Ifma = 1u << 21;

    // Leaf 7 ECX: AVX-512 VBMI (1), GFNI (8), VAES (9), VPCLMULQDQ (10). Leaf 0x80000001 ECX: LZCNT (5).
    private const uint GfniGroup = 1u << 1 | 1u << 8 | 1u << 9 | 1u << 10;
    private const uint Lzcnt = 1u << 5;

    // XCR0: x87, SSE and AVX state (0 to 2); opmask, upper ZMM halves and ZMM16 to 31 (5 to 7).
    private const ulong YmmState = 0x7, ZmmState = 0xE7;

    public static TheoryData<string, uint, uint, uint, uint, ulong, string> Cpus => new()
    {
        { "Ice Lake, Zen 4 or later", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup, Lzcnt, ZmmState, "x86-64-v4-gfni" },
        { "Skylake-SP to Cooper Lake: AVX-512 without GFNI", Leaf1, Avx2Group | Avx512, 0, Lzcnt, ZmmState, "x86-64-v3" },
        { "Cannon Lake: IFMA and VBMI without GFNI", Leaf1, Avx2Group | Avx512 | Ifma, 1u << 1, Lzcnt, ZmmState, "x86-64-v3" },
        { "no IFMA", Leaf1, Avx2Group | Avx512, GfniGroup, Lzcnt, ZmmState, "x86-64-v3" },
        { "no VBMI", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup & ~(1u << 1), Lzcnt, ZmmState, "x86-64-v3" },
        { "no VAES", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup & ~(1u << 9), Lzcnt, ZmmState, "x86-64-v3" },
        { "no VPCLMULQDQ", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup & ~(1u << 10), Lzcnt, ZmmState, "x86-64-v3" },
        { "no GFNI", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup & ~(1u << 8), Lzcnt, ZmmState, "x86-64-v3" },
        { "AES-NI switched off", Leaf1 & ~(1u << 25), Avx2Group | Avx512 | Ifma, GfniGroup, Lzcnt, ZmmState, "x86-64-v3" },
        { "no PCLMULQDQ", Leaf1 & ~(1u << 1), Avx2Group | Avx512 | Ifma, GfniGroup, Lzcnt, ZmmState, "x86-64-v3" },
        { "no AVX-512 VL", Leaf1, Avx2Group | (Avx512 & ~(1u << 31)) | Ifma, GfniGroup, Lzcnt, ZmmState, "x86-64-v3" },
        { "every instruction, but the kernel does not save ZMM state", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup, Lzcnt, YmmState, "x86-64-v3" },
        { "Alder Lake: GFNI, VAES and VPCLMULQDQ without AVX-512", Leaf1, Avx2Group, 1u << 8 | 1u << 9 | 1u << 10, Lzcnt, YmmState, "x86-64-v3" },
        { "Haswell", Leaf1, Avx2Group, 0, Lzcnt, YmmState, "x86-64-v3" },
        { "AVX2 without AES-NI or PCLMULQDQ", Avx, Avx2Group, 0, Lzcnt, YmmState, "x86-64-v3" },
        { "no LZCNT", Leaf1, Avx2Group | Avx512 | Ifma, GfniGroup, 0, ZmmState, "portable" },
        { "no BMI2", Leaf1, (Avx2Group & ~(1u << 8)) | Avx512 | Ifma, GfniGroup, Lzcnt, ZmmState, "portable" },
        { "no MOVBE", Leaf1 & ~(1u << 22), Avx2Group, 0, Lzcnt, YmmState, "portable" },
        { "AVX2, but the kernel does not save YMM state", Leaf1, Avx2Group, 0, Lzcnt, 0x3, "portable" },
        { "Nehalem: SSE4.2, no AVX", V2, 0, 0, Lzcnt, 0, "portable" },
    };

    [Theory]
    [MemberData(nameof(Cpus))]
    public void The_highest_level_whose_instructions_and_state_the_CPU_has_is_chosen(string cpu, uint leaf1Ecx, uint leaf7Ebx, uint leaf7Ecx, uint extendedEcx, ulong xcr0, string level)
    {
        string report = string.Create(CultureInfo.InvariantCulture, $"{leaf1Ecx:x},{leaf7Ebx:x},{leaf7Ecx:x},{extendedEcx:x},{xcr0:x}");
        Tool.Result chosen = Command.Run(harness.Path, report);
        Assert.True(chosen.ExitCode == 0, chosen.Stderr);
        Assert.True(level == chosen.Stdout.Trim(), $"{cpu}: expected {level}, chose {chosen.Stdout.Trim()}");
    }

    /// <summary>
    /// The chooser's source included whole, with a main that prints the level for each report, compiled once for the
    /// class. Its constructor runs too, and finds no level build beside the harness to start.
    /// </summary>
    public sealed class Harness : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("vnethash-choose-level-").FullName;

        public Harness()
        {
            string source = System.IO.Path.Combine(_directory, "harness.c");
            File.WriteAllText(source, $$"""
                #include "{{System.IO.Path.Combine(TestFiles.RepositoryRoot, "src", "VnetHash.Cli", "Native", "choose_level.c")}}"

                int main(int argc, char **argv)
                {
                    for (int i = 1; i < argc; i++)
                    {
                        struct cpu_report cpu;
                        if (sscanf(argv[i], "%x,%x,%x,%x,%llx", &cpu.leaf1_ecx, &cpu.leaf7_ebx, &cpu.leaf7_ecx, &cpu.extended_ecx, &cpu.xcr0) != 5)
                        {
                            return 2;
                        }

                        puts(level_names[level_of(&cpu)]);
                    }

                    return 0;
                }
                """);
            Path = System.IO.Path.Combine(_directory, "harness");
            Tool.Result compiled = Command.Run("cc", "-std=gnu11", "-Wall", "-Werror", "-o", Path, source);
            if (compiled.ExitCode != 0)
            {
                throw new InvalidOperationException($"cc could not compile the chooser: {compiled.Stderr}");
            }
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
