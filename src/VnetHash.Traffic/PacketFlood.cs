using System.Runtime.InteropServices;

namespace VnetHash.Traffic;

/// <summary>
/// Sends prebuilt Ethernet frames out of an interface as fast as one thread can, for the tests and benchmarks of
/// the TAP readers: an AF_PACKET socket bound to the interface, past the qdisc (<c>PACKET_QDISC_BYPASS</c>),
/// <c>sendmmsg</c> batches of 32. It counts every frame handed to the device: accepted (a tap queued it) and refused
/// (a tap dropped it: <c>sendmmsg</c> then stops at that frame with an error, so a short batch refused exactly one),
/// so <see cref="Offered"/> is what the device's <c>tx_packets</c> and <c>tx_dropped</c> must add up to.
/// </summary>
/// <remarks>Needs CAP_NET_RAW, and CAP_SYS_ADMIN to enter another network namespace.</remarks>
public sealed unsafe partial class PacketFlood : IDisposable
{
    private const int Batch = 32;
    private readonly byte[][] _frames;
    private readonly long _limit;
    private readonly Thread _thread;
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stop;
    private long _accepted;
    private long _refused;

    private PacketFlood(string interfaceName, string? networkNamespace, byte[][] frames, long limit, int? cpu)
    {
        _frames = frames;
        _limit = limit;
        _thread = new Thread(() => Run(interfaceName, networkNamespace, cpu)) { IsBackground = true, Name = "flood" };
        _thread.Start();
    }

    /// <summary>Frames the device queued.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Frames the device dropped on the way to its queues (or refused because its link was down).</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <summary>Every frame handed to the device.</summary>
    public long Offered => Accepted + Refused;

    /// <summary>Whether the sender has stopped: stopped, or it offered its limit.</summary>
    public bool Finished => !_thread.IsAlive;

    /// <summary>
    /// Starts flooding <paramref name="interfaceName"/> until stopped or <paramref name="limit"/> frames were offered.
    /// </summary>
    /// <param name="interfaceName">The interface, in <paramref name="networkNamespace"/> when given.</param>
    /// <param name="networkNamespace">A namespace file (<c>/var/run/netns/NAME</c>) the sender's thread enters first; null: the caller's.</param>
    /// <param name="frames">The frames, sent in turn (default: <see cref="MixedFrames"/> of 1024).</param>
    /// <param name="limit">How many frames to offer at most.</param>
    /// <param name="cpu">A CPU to pin the sender's thread to.</param>
    /// <exception cref="IOException">The socket could not be set up (the message has the errno).</exception>
    public static PacketFlood Start(string interfaceName, string? networkNamespace = null, IReadOnlyList<byte[]>? frames = null, long limit = long.MaxValue, int? cpu = null)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        var flood = new PacketFlood(interfaceName, networkNamespace, [.. frames ?? MixedFrames(1024)], limit, cpu);
        try
        {
            flood._ready.Task.GetAwaiter().GetResult();
        }
        catch
        {
            flood._thread.Join();
            throw;
        }

        return flood;
    }

    /// <summary><paramref name="count"/> distinct 60–80-byte frames of distinct flows: IPv4/TCP, IPv4/UDP, IPv6/TCP, IPv6/UDP in turn.</summary>
    public static byte[][] MixedFrames(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        FrameBuilder builder = new FrameBuilder().Ethernet();
        builder = (i & 2) == 0
            ? builder.IPv4($"10.1.{(i >> 8) & 255}.{i & 255}", $"10.2.0.{1 + (i % 200)}")
            : builder.IPv6($"2001:db8:1::{i + 1:x}", $"2001:db8:2::{(i * 40503) & 0xffff:x}");
        builder = (i & 1) == 0 ? builder.Tcp((ushort)(1024 + i), 443) : builder.Udp((ushort)(1024 + i), 4791);
        byte[] frame = builder.Build();
        return frame.Length >= 60 ? frame : [.. frame, .. new byte[60 - frame.Length]];
    })];

    /// <summary>Stops sending and waits for the sender.</summary>
    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    /// <inheritdoc/>
    public void Dispose() => Stop();

    private void Run(string interfaceName, string? networkNamespace, int? cpu)
    {
        int fd = -1;
        GCHandle[] pins = [.. _frames.Select(f => GCHandle.Alloc(f, GCHandleType.Pinned))];
        try
        {
            fd = Open(interfaceName, networkNamespace, cpu);
            _ready.SetResult(fd);
            Flood(fd, pins);
        }
        catch (Exception error) when (_ready.TrySetException(error))
        {
        }
        finally
        {
            if (fd >= 0)
            {
                _ = Native.Close(fd);
            }

            foreach (GCHandle pin in pins)
            {
                pin.Free();
            }
        }
    }

    private void Flood(int fd, GCHandle[] pins)
    {
        Native.IoVector* vectors = stackalloc Native.IoVector[Batch];
        Native.MessageHeader* messages = stackalloc Native.MessageHeader[Batch];
        long next = 0;
        while (!_stop && Offered < _limit)
        {
            int count = (int)Math.Min(Batch, _limit - Offered);
            for (int b = 0; b < count; b++)
            {
                long index = (next + b) % _frames.Length;
                vectors[b] = new Native.IoVector { Base = (void*)pins[index].AddrOfPinnedObject(), Length = (nuint)_frames[index].Length };
                messages[b] = new Native.MessageHeader { Vectors = &vectors[b], VectorCount = 1 };
            }

            int accepted = Math.Max(Native.SendMmsg(fd, messages, (uint)count, 0), 0);
            int refused = accepted < count ? 1 : 0;
            Interlocked.Add(ref _accepted, accepted);
            Interlocked.Add(ref _refused, refused);
            next += accepted + refused;
        }
    }

    private static int Open(string interfaceName, string? networkNamespace, int? cpu)
    {
        if (cpu is int core)
        {
            ulong mask = 1UL << core;
            Check(Native.SchedSetAffinity(0, sizeof(ulong), &mask), $"sched_setaffinity to CPU {core}");
        }

        if (networkNamespace is not null)
        {
            using var handle = File.OpenHandle(networkNamespace, FileMode.Open, FileAccess.Read);
            Check(Native.SetNs((int)handle.DangerousGetHandle(), Native.CLONE_NEWNET), $"setns into {networkNamespace}");
        }

        uint index = Native.IfNameToIndex(interfaceName);
        if (index == 0)
        {
            throw new IOException($"no interface {interfaceName}: errno {Marshal.GetLastPInvokeError()}");
        }

        int fd = Native.Socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0);
        Check(fd, "AF_PACKET socket");
        var address = new Native.PacketAddress { Family = Native.AF_PACKET, InterfaceIndex = (int)index };
        int one = 1;
        if (Native.Bind(fd, &address, sizeof(Native.PacketAddress)) != 0 || Native.SetSockOpt(fd, Native.SOL_PACKET, Native.PACKET_QDISC_BYPASS, &one, sizeof(int)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Native.Close(fd);
            throw new IOException($"binding the AF_PACKET socket to {interfaceName}: errno {errno}");
        }

        return fd;
    }

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new IOException($"{what} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static partial class Native
    {
        internal const int AF_PACKET = 17;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int SOL_PACKET = 263;
        internal const int PACKET_QDISC_BYPASS = 20;
        internal const int CLONE_NEWNET = 0x40000000;

        [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
        internal static partial int Socket(int domain, int type, int protocol);

        [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
        internal static partial int Bind(int fd, void* address, int length);

        [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
        internal static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

        [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
        internal static partial int SendMmsg(int fd, MessageHeader* messages, uint count, int flags);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);

        [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
        internal static partial int SetNs(int fd, int type);

        [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial uint IfNameToIndex(string name);

        [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
        internal static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

        /// <summary><c>struct sockaddr_ll</c> (20 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PacketAddress
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
        internal struct IoVector
        {
            internal void* Base;
            internal nuint Length;
        }

        /// <summary><c>struct mmsghdr</c>: a <c>struct msghdr</c> (56 bytes on 64-bit Linux) and the length sent.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 64)]
        internal struct MessageHeader
        {
            [FieldOffset(0)] internal void* Name;
            [FieldOffset(8)] internal uint NameLength;
            [FieldOffset(16)] internal IoVector* Vectors;
            [FieldOffset(24)] internal nuint VectorCount;
            [FieldOffset(56)] internal uint Sent;
        }
    }
}
