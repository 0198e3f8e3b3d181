using System.Runtime.InteropServices;

namespace VnetHash.TapBenchmarks.Infrastructure;

/// <summary>The few system calls the measurements need beyond the TAP layer: bpf(2) program info and lookup, poll(2).</summary>
internal static unsafe partial class Native
{
    public const int POLLIN = 1;

    private const long SysBpf = 321;
    private const int BpfProgTestRun = 10;
    private const int BpfProgGetFdById = 13;
    private const int BpfObjGetInfoByFd = 15;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for <paramref name="fd"/> to become readable.</summary>
    public static void WaitReadable(int fd, int timeoutMilliseconds)
    {
        var entry = new PollFd { Fd = fd, Events = POLLIN };
        _ = Poll(&entry, 1, timeoutMilliseconds);
    }

    /// <summary>
    /// <c>struct bpf_prog_info</c> of a program fd (<c>BPF_OBJ_GET_INFO_BY_FD</c>): the kernel fills as much of
    /// <paramref name="info"/> as it knows.
    /// </summary>
    public static void GetProgramInfo(int fd, Span<byte> info)
    {
        info.Clear();
        fixed (byte* pointer = info)
        {
            Span<byte> attributes = stackalloc byte[16];
            attributes.Clear();
            MemoryMarshal.Write(attributes, fd);
            MemoryMarshal.Write(attributes[4..], info.Length);
            MemoryMarshal.Write(attributes[8..], (ulong)pointer);
            fixed (byte* a = attributes)
            {
                if (Syscall(SysBpf, BpfObjGetInfoByFd, a, (uint)attributes.Length) != 0)
                {
                    throw new IOException($"BPF_OBJ_GET_INFO_BY_FD on fd {fd} failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }
        }
    }

    /// <summary>A new fd for the loaded program with kernel id <paramref name="id"/> (<c>BPF_PROG_GET_FD_BY_ID</c>, root only).</summary>
    public static int GetProgramFdById(uint id)
    {
        Span<byte> attributes = stackalloc byte[12];
        attributes.Clear();
        MemoryMarshal.Write(attributes, id);
        fixed (byte* a = attributes)
        {
            long fd = Syscall(SysBpf, BpfProgGetFdById, a, (uint)attributes.Length);
            return fd >= 0 ? (int)fd : throw new IOException($"no loaded BPF program with id {id} (BPF_PROG_GET_FD_BY_ID: errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>
    /// Runs a program <paramref name="repeat"/> times on <paramref name="data"/> (<c>BPF_PROG_TEST_RUN</c>): its
    /// return value and the kernel's mean nanoseconds per run, with data and tables hot in the cache.
    /// </summary>
    public static (uint ReturnValue, uint Nanoseconds) TestRun(int fd, ReadOnlySpan<byte> data, int repeat)
    {
        Span<byte> attributes = stackalloc byte[80];
        attributes.Clear();
        fixed (byte* d = data)
        fixed (byte* a = attributes)
        {
            MemoryMarshal.Write(attributes, fd);
            MemoryMarshal.Write(attributes[8..], data.Length);
            MemoryMarshal.Write(attributes[16..], (ulong)d);
            MemoryMarshal.Write(attributes[32..], repeat);
            if (Syscall(SysBpf, BpfProgTestRun, a, (uint)attributes.Length) != 0)
            {
                throw new IOException($"BPF_PROG_TEST_RUN on fd {fd} failed: errno {Marshal.GetLastPInvokeError()}");
            }

            return (MemoryMarshal.Read<uint>(attributes[4..]), MemoryMarshal.Read<uint>(attributes[36..]));
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int command, byte* attributes, uint size);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeout);
}
