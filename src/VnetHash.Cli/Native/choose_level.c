// Chooses, before the .NET runtime starts, which build of the native tool runs.
//
// The linux-x64 tool package holds the tool compiled ahead of time three times: this executable, for every x86-64
// CPU .NET runs on, and beside it "<this executable>.x86-64-v3" and ".x86-64-v4", compiled for those levels of the
// x86-64 psABI. Code compiled for a level uses the level's instructions anywhere, so it runs only where the CPU has
// them and the kernel saves their registers (its runtime stops at start otherwise). This ELF constructor finds the
// highest level both provide and replaces the process with that build, arguments and environment unchanged. Where
// that cannot be done (no such file, no /proc), this portable build goes on as if nothing happened.
//
// VNETHASH_NATIVE_LEVEL caps the level: portable, x86-64-v3 or x86-64-v4 (any case; empty is unset). A process
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

enum { PORTABLE, V3, V4, LEVELS };

static const char *const level_names[LEVELS] = { "portable", "x86-64-v3", "x86-64-v4" };

static int has_all(unsigned int reg, unsigned int bits)
{
    return (reg & bits) == bits;
}

// The state components the kernel saves and restores for this process (XCR0; Intel SDM vol. 1, 13.3).
static unsigned long long enabled_state(void)
{
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((unsigned long long)high << 32) | low;
}

// The highest level whose instructions the CPU reports (CPUID) and whose registers the kernel saves (XCR0).
static int cpu_level(void)
{
    unsigned int eax, ebx, ecx, edx;

    // Leaf 1, ECX: SSE3 (0), SSSE3 (9), SSE4.1 (19), SSE4.2 (20), POPCNT (23), which every level above includes;
    // FMA (12), MOVBE (22), OSXSAVE (27: XGETBV may be used), AVX (28), F16C (29).
    const unsigned int v2 = 1u << 0 | 1u << 9 | 1u << 19 | 1u << 20 | 1u << 23;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !has_all(ecx, v2 | 1u << 12 | 1u << 22 | 1u << 27 | 1u << 28 | 1u << 29))
    {
        return PORTABLE;
    }

    unsigned long long state = enabled_state();
    const unsigned long long sse_avx = 0x6, opmask_zmm = 0xe0;
    if ((state & sse_avx) != sse_avx)
    {
        return PORTABLE;
    }

    // Leaf 0x80000001, ECX: LZCNT (5).
    if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) || !has_all(ecx, 1u << 5))
    {
        return PORTABLE;
    }

    // Leaf 7, EBX: BMI1 (3), AVX2 (5), BMI2 (8); AVX-512 F (16), DQ (17), CD (28), BW (30), VL (31).
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || !has_all(ebx, 1u << 3 | 1u << 5 | 1u << 8))
    {
        return PORTABLE;
    }

    int avx512 = has_all(ebx, 1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31) && (state & opmask_zmm) == opmask_zmm;
    return avx512 ? V4 : V3;
}

// Priority 101, the first an application may use: before the runtime's own constructors.
__attribute__((constructor(101))) static void choose_level(int argc, char **argv)
{
    (void)argc;
    int cap = V4;
    const char *wanted = getenv("VNETHASH_NATIVE_LEVEL");
    if (wanted != NULL && wanted[0] != '\0')
    {
        for (cap = PORTABLE; cap < LEVELS && strcasecmp(wanted, level_names[cap]) != 0; cap++)
        {
        }

        if (cap == LEVELS)
        {
            // As the tool reports its other bad settings: exit code 2, invalid arguments.
            fprintf(stderr, "error: invalid configuration: VNETHASH_NATIVE_LEVEL: UnknownNativeLevel: \"%s\" names no build; use one of portable, x86-64-v3, x86-64-v4\n", wanted);
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
    if (length <= 0 || (size_t)length + sizeof ".x86-64-v4" > sizeof path || stat("/proc/self/exe", &self) != 0)
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
