using System.Runtime.InteropServices;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>The few libc calls the test infrastructure needs on its own (the library keeps its interop internal).</summary>
internal static partial class Native
{
    internal const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int namespaceType);
}
