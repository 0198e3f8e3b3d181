using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>Creates test taps inside a namespace, IPv6 off, with unique names.</summary>
internal static class TestTaps
{
    private static int s_counter;

    /// <summary>A name unique in this process.</summary>
    public static string NewName() => $"vnh{Environment.ProcessId % 10000}t{Interlocked.Increment(ref s_counter)}";

    /// <summary>Creates a tap in <paramref name="ns"/> with IPv6 off and the link up.</summary>
    public static TapDevice Create(NetworkNamespace ns, int queues, int headerSize = TapDeviceOptions.HashReportHeaderSize, bool persistent = false)
    {
        TapDevice device = CreateDown(ns, queues, headerSize, persistent);
        device.SetLinkUp(true);
        return device;
    }

    /// <summary>Creates a tap in <paramref name="ns"/> with IPv6 off and the link down, for <c>RssTap.Start</c> to bring up once its steering is in place.</summary>
    public static TapDevice CreateDown(NetworkNamespace ns, int queues, int headerSize = TapDeviceOptions.HashReportHeaderSize, bool persistent = false)
    {
        string name = NewName();
        TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions
        {
            Name = name,
            QueueCount = queues,
            VnetHeaderSize = headerSize,
            Persistent = persistent,
            BringUp = false,
        }));
        ns.DisableIPv6(device.Name);
        return device;
    }

    /// <summary>Every kernel queue reader has read all the frames the kernel counted as sent, and the kernel has none queued from <paramref name="flood"/>.</summary>
    public static bool Drained(TapDevice device, TapReceiver receiver, PacketFlood flood)
    {
        TapLinkStatistics link = device.ReadStatistics();
        return flood.Offered == link.TxPackets + link.TxDropped && receiver.KernelQueues.Sum(q => q.FramesRead) == link.TxPackets;
    }

    /// <summary>The number of open fds of this process.</summary>
    /// <summary>
    /// The fds of the kinds this library opens (tun queues, eventfds, epoll instances, bpf objects). Other fds
    /// come and go with the runtime and with earlier tests' finalizers, so counting every fd would be noise.
    /// </summary>
    public static int OpenFdCount() => Directory.GetFiles("/proc/self/fd").Count(IsLibraryFd);

    private static bool IsLibraryFd(string fd)
    {
        try
        {
            string? target = new FileInfo(fd).LinkTarget;
            return target is not null && (target == "/dev/net/tun" || target.StartsWith("anon_inode:", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false; // closed between listing and reading
        }
    }
}
