using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using VnetHash.TestSupport;

namespace VnetHash.Tap.Tests.SystemCalls;

/// <summary>
/// The syscall(2) numbers the TAP layer calls bpf and io_uring by, held to the kernel's own headers: a wrong number would
/// make another system call with the same arguments.
/// </summary>
public sealed partial class SystemCallNumberTests
{
    // Debian's linux-libc-dev: x86-64's table, and the generic one that arm64's asm/unistd.h takes in whole.
    private const string X64Header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
    private const string GenericHeader = "/usr/include/asm-generic/unistd.h";
    private const string HeaderPackage = "linux-libc-dev";

    [FileFact(X64Header, HeaderPackage)]
    public void Every_x86_64_number_is_the_kernel_headers() => AssertMatches(Architecture.X64, X64Header);

    [FileFact(GenericHeader, HeaderPackage)]
    public void Every_arm64_number_is_the_kernel_headers() => AssertMatches(Architecture.Arm64, GenericHeader);

    [Fact]
    public void This_process_calls_by_its_own_architecture_s_numbers()
    {
        Architecture architecture = RuntimeInformation.ProcessArchitecture;
        Assert.Equal(Interop.SystemCallNumbers.For(architecture, Interop.SystemCall.Bpf), Interop.SystemCallNumbers.Bpf);
        Assert.Equal(Interop.SystemCallNumbers.For(architecture, Interop.SystemCall.IoUringSetup), Interop.SystemCallNumbers.IoUringSetup);
        Assert.Equal(Interop.SystemCallNumbers.For(architecture, Interop.SystemCall.IoUringEnter), Interop.SystemCallNumbers.IoUringEnter);
        Assert.Equal(Interop.SystemCallNumbers.For(architecture, Interop.SystemCall.IoUringRegister), Interop.SystemCallNumbers.IoUringRegister);
    }

    [Fact]
    public void Another_architecture_gets_no_number_and_a_reason()
    {
        foreach (Interop.SystemCall call in Enum.GetValues<Interop.SystemCall>())
        {
            Assert.Null(Interop.SystemCallNumbers.For(Architecture.Arm, call));
            Assert.Null(Interop.SystemCallNumbers.For(Architecture.RiscV64, call));
        }

        Assert.Contains("x86-64 and arm64 only", Interop.SystemCallNumbers.NotMapped("bpf(2)"), StringComparison.Ordinal);
    }

    private static void AssertMatches(Architecture architecture, string header)
    {
        Dictionary<string, long> numbers = Define().Matches(File.ReadAllText(header))
            .ToDictionary(match => match.Groups["name"].Value, match => long.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (Interop.SystemCall call in Enum.GetValues<Interop.SystemCall>())
        {
            string name = KernelName(call);
            Assert.True(numbers.TryGetValue(name, out long expected), $"__NR_{name} is not in {header}");
            Assert.True(Interop.SystemCallNumbers.For(architecture, call) == expected, $"__NR_{name} on {architecture}: {header} says {expected}, the layer calls {Interop.SystemCallNumbers.For(architecture, call)}");
        }
    }

    // IoUringSetup -> io_uring_setup.
    private static string KernelName(Interop.SystemCall call) => UpperAfterLower().Replace(call.ToString(), "$1_$2").ToLowerInvariant();

    [GeneratedRegex(@"^#define __NR_(?<name>\w+)\s+(?<number>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex UpperAfterLower();
}
