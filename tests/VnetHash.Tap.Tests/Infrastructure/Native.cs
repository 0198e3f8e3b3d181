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

    internal const int AF_PACKET = 17;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_PACKET = 263;
    internal const int PACKET_QDISC_BYPASS = 20;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static unsafe partial int Bind(int fd, void* address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static unsafe partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    internal static unsafe partial int SendMmsg(int fd, MessageHeader* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary><c>struct sockaddr_ll</c> (20 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct PacketAddress
    {
        internal ushort Family;
        internal ushort Protocol;
        internal int InterfaceIndex;
        internal ushort HardwareType;
        internal byte PacketType;
        internal byte AddressLength;
        internal fixed byte Address[8];
    }

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct IoVector
    {
        internal void* Base;
        internal nuint Length;
    }

    /// <summary><c>struct mmsghdr</c>: a <c>struct msghdr</c> (56 bytes on 64-bit Linux) and the length sent.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal unsafe struct MessageHeader
    {
        [FieldOffset(0)] internal void* Name;
        [FieldOffset(8)] internal uint NameLength;
        [FieldOffset(16)] internal IoVector* Vectors;
        [FieldOffset(24)] internal nuint VectorCount;
        [FieldOffset(56)] internal uint Sent;
    }
}
