// Chooses, before the .NET runtime starts, which build of the native tool runs.
//
// The linux-x64 tool package holds the tool compiled ahead of time three times: this executable, for every x86-64
// CPU .NET runs on, and beside it "<this executable>.x86-64-v3" and ".x86-64-v4-gfni". The first is compiled for the
// x86-64 psABI level x86-64-v3; the second for x86-64-v4 with GFNI, AVX-512 IFMA and VBMI, AES-NI, VAES and
// VPCLMULQDQ, which every CPU with AVX-512 and GFNI has (Intel Xeon from Ice Lake, AMD from Zen 4). Code compiled for
// a level uses its instructions anywhere, so it runs only where the CPU has them and the kernel saves their registers
// (its runtime stops at start otherwise). This ELF constructor finds the highest level both provide and replaces the
// process with that build, arguments and environment unchanged. Where that cannot be done (no such file, no /proc),
// this portable build goes on as if nothing happened.
//
// VNETHASH_NATIVE_LEVEL caps the level: portable, x86-64-v3 or x86-64-v4-gfni (any case; empty is unset). A process
// started with more privileges than its caller (set-user-ID, file capabilities) stays in this build: they belong to
// this file, and another file would start without them.

#include <cpuid.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

enum { PORTABLE, V3, V4_GFNI, LEVELS };

static const char *const level_names[LEVELS] = { "portable", "x86-64-v3", "x86-64-v4-gfni" };

static int has_all(unsigned int reg, unsigned int bits)
{
    return (reg & bits) == bits;
}

// What the level depends on: CPUID leaf 1 ECX, leaf 7 (subleaf 0) EBX and ECX, leaf 0x80000001 ECX (zero where the
// leaf is missing), and XCR0, the state components the kernel saves and restores for this process (Intel SDM vol. 1,
// 13.3; read only where leaf 1 reports OSXSAVE).
struct cpu_report
{
    unsigned int leaf1_ecx, leaf7_ebx, leaf7_ecx, extended_ecx;
    unsigned long long xcr0;
};

// The highest level whose instructions the CPU reports and whose registers the kernel saves: the groups the .NET
// runtime checks before it runs code compiled for them.
static int level_of(const struct cpu_report *cpu)
{
    // Leaf 1, ECX: SSE3 (0), SSSE3 (9), SSE4.1 (19), SSE4.2 (20), POPCNT (23), which every level above includes;
    // FMA (12), MOVBE (22), OSXSAVE (27: XGETBV may be used), AVX (28), F16C (29).
    const unsigned int v2 = 1u << 0 | 1u << 9 | 1u << 19 | 1u << 20 | 1u << 23;
    const unsigned long long sse_avx = 0x6, opmask_zmm = 0xe0;
    if (!has_all(cpu->leaf1_ecx, v2 | 1u << 12 | 1u << 22 | 1u << 27 | 1u << 28 | 1u << 29) || (cpu->xcr0 & sse_avx) != sse_avx)
    {
        return PORTABLE;
    }

    // Leaf 0x80000001, ECX: LZCNT (5). Leaf 7, EBX: BMI1 (3), AVX2 (5), BMI2 (8).
    if (!has_all(cpu->extended_ecx, 1u << 5) || !has_all(cpu->leaf7_ebx, 1u << 3 | 1u << 5 | 1u << 8))
    {
        return PORTABLE;
    }

    // Leaf 7, EBX: AVX-512 F (16), DQ (17), IFMA (21), CD (28), BW (30), VL (31); ECX: VBMI (1), GFNI (8), VAES (9),
    // VPCLMULQDQ (10); leaf 1, ECX: PCLMULQDQ (1) and AES-NI (25), without which the runtime counts no VAES. A CPU with
    // AVX-512 but without the rest (Skylake-SP to Cooper Lake), or with AES-NI switched off, runs x86-64-v3.
    int gfni = has_all(cpu->leaf7_ebx, 1u << 16 | 1u << 17 | 1u << 21 | 1u << 28 | 1u << 30 | 1u << 31)
        && has_all(cpu->leaf7_ecx, 1u << 1 | 1u << 8 | 1u << 9 | 1u << 10)
        && has_all(cpu->leaf1_ecx, 1u << 1 | 1u << 25)
        && (cpu->xcr0 & opmask_zmm) == opmask_zmm;
    return gfni ? V4_GFNI : V3;
}

static int cpu_level(void)
{
    struct cpu_report cpu = { 0 };
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx))
    {
        cpu.leaf1_ecx = ecx;
    }

    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
    {
        cpu.leaf7_ebx = ebx;
        cpu.leaf7_ecx = ecx;
    }

    if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx))
    {
        cpu.extended_ecx = ecx;
    }

    if (has_all(cpu.leaf1_ecx, 1u << 27))
    {
        unsigned int low, high;
        __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
        cpu.xcr0 = ((unsigned long long)high << 32) | low;
    }

    return level_of(&cpu);
}

// Priority 101, the first an application may use: before the runtime's own constructors.
__attribute__((constructor(101))) static void choose_level(int argc, char **argv)
{
    (void)argc;
    int cap = V4_GFNI;
    const char *wanted = getenv("VNETHASH_NATIVE_LEVEL");
    if (wanted != NULL && wanted[0] != '\0')
    {
        for (cap = PORTABLE; cap < LEVELS && strcasecmp(wanted, level_names[cap]) != 0; cap++)
        {
        }

        if (cap == LEVELS)
        {
            // As the tool reports its other bad settings: exit code 2, invalid arguments.
            fprintf(stderr, "error: invalid configuration: VNETHASH_NATIVE_LEVEL: UnknownNativeLevel: \"%s\" names no build; use one of portable, x86-64-v3, x86-64-v4-gfni\n", wanted);
            exit(2);
        }
    }

    if (getauxval(AT_SECURE) != 0)
    {
        return;
    }

    int level = cpu_level();
    if (level > cap)
    {
        level = cap;
    }

    if (level == PORTABLE)
    {
        return;
    }

    char path[PATH_MAX];
    struct stat self, candidate;
    ssize_t length = readlink("/proc/self/exe", path, sizeof path);
    if (length <= 0 || (size_t)length + sizeof ".x86-64-v4-gfni" > sizeof path || stat("/proc/self/exe", &self) != 0)
    {
        return;
    }

    // execve returns only when it failed (a package without that build, say): try the level below. A level's name
    // that leads back to this file (a link) is skipped, or the process would start itself for ever.
    for (; level > PORTABLE; level--)
    {
        snprintf(path + length, sizeof path - (size_t)length, ".%s", level_names[level]);
        if (stat(path, &candidate) == 0 && !(candidate.st_dev == self.st_dev && candidate.st_ino == self.st_ino))
        {
            execve(path, argv, environ);
        }
    }
}
