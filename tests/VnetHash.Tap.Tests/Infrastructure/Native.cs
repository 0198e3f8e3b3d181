using System.Runtime.InteropServices;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>The few libc calls the test infrastructure needs on its own (the library keeps its interop internal).</summary>
internal static partial class Native
{
    internal const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    private const uint CapabilityVersion3 = 0x20080522;

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static unsafe partial int CapGet(uint* header, uint* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static unsafe partial int CapSet(uint* header, uint* data);

    /// <summary>Removes one capability from the effective set of the calling thread only (capabilities are per thread).</summary>
    internal static unsafe void DropEffectiveCapability(int capability)
    {
        uint* header = stackalloc uint[2];
        uint* data = stackalloc uint[6];
        header[0] = CapabilityVersion3;
        header[1] = 0;
        if (CapGet(header, data) != 0)
        {
            throw new IOException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }

        data[(capability / 32) * 3] &= ~(1u << (capability % 32));
        if (CapSet(header, data) != 0)
        {
            throw new IOException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int namespaceType);
}
