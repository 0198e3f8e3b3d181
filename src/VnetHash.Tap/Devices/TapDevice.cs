using System.Net.NetworkInformation;
using System.Text;
using VnetHash.Abi;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Devices;

/// <summary>
/// A multi-queue Linux TAP or TUN device: one fd per queue, <c>IFF_MULTI_QUEUE | IFF_NO_PI</c>, and a
/// little-endian virtio-net header when asked for.
/// </summary>
/// <remarks>
/// <para>
/// The device lives in the network namespace of the thread that created it. Its link operations go through a
/// control socket opened at creation, so they reach this device even when called from a thread in another
/// namespace, and never a host interface that happens to share the name.
/// </para>
/// <para>
/// <see cref="Queues"/> mirrors the kernel's queue numbering: detaching or closing queue <c>k</c> moves the last
/// attached queue into slot <c>k</c>, exactly as tun does, so <c>Queues[i]</c> is always kernel queue <c>i</c>.
/// </para>
/// </remarks>
public sealed unsafe class TapDevice : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<TapQueue> _attached = [];
    private readonly List<TapQueue> _all = [];
    private readonly FileDescriptorHandle _control;
    private readonly FileDescriptorHandle _netlink;
    private readonly Lock _netlinkGate = new();
    private readonly short _flags;
    private uint _netlinkSequence;
    private bool _disposed;

    private TapDevice(string name, TapKind kind, short flags, int vnetHeaderSize, TapOffloads offloads, bool persistent, FileDescriptorHandle control, FileDescriptorHandle netlink)
    {
        _netlink = netlink;
        Name = name;
        Kind = kind;
        _flags = flags;
        VnetHeaderSize = vnetHeaderSize;
        Offloads = offloads;
        Persistent = persistent;
        _control = control;
    }

    /// <summary>The interface name.</summary>
    public string Name { get; }

    /// <summary>TAP or TUN.</summary>
    public TapKind Kind { get; }

    /// <summary>The virtio-net header size in front of every frame (0 when there is none).</summary>
    public int VnetHeaderSize { get; }

    /// <summary>The offloads accepted (<c>TUNSETOFFLOAD</c>).</summary>
    public TapOffloads Offloads { get; private set; }

    /// <summary>Whether the device outlives its fds.</summary>
    public bool Persistent { get; private set; }

    /// <summary>The interface index in the device's namespace.</summary>
    public int InterfaceIndex { get; private set; }

    /// <summary>The attached queues in kernel order: <c>Queues[i]</c> is kernel queue <c>i</c>.</summary>
    public IReadOnlyList<TapQueue> Queues
    {
        get
        {
            lock (_gate)
            {
                return [.. _attached];
            }
        }
    }

    /// <summary>Every open queue of this device, attached or detached, in opening order.</summary>
    public IReadOnlyList<TapQueue> AllQueues
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>How many queues are attached (the kernel's <c>numqueues</c>).</summary>
    public int AttachedQueueCount
    {
        get
        {
            lock (_gate)
            {
                return _attached.Count;
            }
        }
    }

    /// <summary>Whether the device carries Ethernet frames.</summary>
    public bool IsEthernet => Kind == TapKind.Tap;

    /// <summary>Creates a new device; fails with <see cref="TapError.Busy"/> when a device of that name exists.</summary>
    /// <exception cref="ArgumentException">An option breaks a rule.</exception>
    /// <exception cref="TapException">The kernel refused; the message names the call and the reason.</exception>
    public static TapDevice Create(TapDeviceOptions options) => Open(options, exclusive: true);

    /// <summary>Attaches new queues to an existing (persistent) device of the given name and kind.</summary>
    /// <exception cref="ArgumentException">An option breaks a rule, or no name was given.</exception>
    /// <exception cref="TapException">The device does not exist (<see cref="TapError.NotFound"/>), has other flags (<see cref="TapError.Busy"/>), or the kernel refused.</exception>
    public static TapDevice Attach(TapDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Name is null)
        {
            throw new ArgumentException("attaching needs the name of an existing device", nameof(options));
        }

        return Open(options, exclusive: false);
    }

    private static TapDevice Open(TapDeviceOptions options, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        short flags = (short)((options.Kind == TapKind.Tap ? InterfaceRequests.IFF_TAP : InterfaceRequests.IFF_TUN) | InterfaceRequests.IFF_NO_PI | InterfaceRequests.IFF_MULTI_QUEUE);
        if (options.VnetHeaderSize != 0)
        {
            flags |= InterfaceRequests.IFF_VNET_HDR;
        }

        FileDescriptorHandle control = Interop.Checked.Socket(Interop.Sys.AF_INET, Interop.Sys.SOCK_DGRAM, 0, "control socket");
        FileDescriptorHandle netlink;
        try
        {
            netlink = Interop.Checked.Socket(Interop.Netlink.AF_NETLINK, Interop.Sys.SOCK_RAW, Interop.Netlink.NETLINK_ROUTE, "rtnetlink socket");
        }
        catch
        {
            control.Dispose();
            throw;
        }

        TapDevice? device = null;
        try
        {
            if (!exclusive && !InterfaceExists(control, options.Name!))
            {
                throw new TapException(TapError.NotFound, Interop.Errno.ENODEV, "attach", $"attach to {options.Name} failed: no such interface in this network namespace (create it first, persistent)");
            }

            short setFlags = exclusive ? (short)(flags | InterfaceRequests.IFF_TUN_EXCL) : flags;
            FileDescriptorHandle first = OpenQueueFd(options.Name, setFlags, out string name);
            device = new TapDevice(name, options.Kind, flags, options.VnetHeaderSize, options.Offloads, options.Persistent, control, netlink);
            device.Adopt(first);
            device.ConfigureQueue(first);

            if (options.Persistent)
            {
                Interop.Checked.IoctlValue(first, TunIoctl.SetPersist, 1, "TUNSETPERSIST", name);
            }

            if (options.Offloads != TapOffloads.None || options.VnetHeaderSize != 0)
            {
                Interop.Checked.IoctlValue(first, TunIoctl.SetOffload, (nuint)options.Offloads, "TUNSETOFFLOAD", name);
            }

            for (int i = 1; i < options.QueueCount; i++)
            {
                device.AddQueue();
            }

            device.InterfaceIndex = device.QueryIndex();
            if (options.BringUp)
            {
                device.SetLinkUp(true);
            }

            return device;
        }
        catch
        {
            if (device is not null)
            {
                device.Dispose();
            }
            else
            {
                control.Dispose();
                netlink.Dispose();
            }

            throw;
        }
    }

    /// <summary>Opens one more queue fd and attaches it as the last kernel queue.</summary>
    /// <exception cref="TapException">The kernel refused (for example the device was deleted).</exception>
    public TapQueue AddQueue()
    {
        ThrowIfDisposed();
        FileDescriptorHandle fd = OpenQueueFd(Name, _flags, out _);
        TapQueue queue;
        try
        {
            queue = Adopt(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }

        ConfigureQueue(fd);
        return queue;
    }

    /// <summary>Detaches an attached queue (<c>TUNSETQUEUE IFF_DETACH_QUEUE</c>); the last attached queue takes its kernel index.</summary>
    /// <exception cref="InvalidOperationException">The queue is not attached or belongs to another device.</exception>
    /// <exception cref="TapException">The kernel refused; <see cref="TapError.DeviceGone"/> when the device was deleted.</exception>
    public void DetachQueue(TapQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            int index = IndexOfAttached(queue);
            if (index < 0)
            {
                throw new InvalidOperationException($"queue fd {queue.Id} of {Name} is not attached");
            }

            SetQueue(queue, InterfaceRequests.IFF_DETACH_QUEUE, "TUNSETQUEUE(IFF_DETACH_QUEUE)");
            RemoveAttachedAt(index);
        }
    }

    /// <summary>Re-attaches a detached queue (<c>TUNSETQUEUE IFF_ATTACH_QUEUE</c>); it becomes the last kernel queue.</summary>
    /// <exception cref="InvalidOperationException">The queue is already attached or belongs to another device.</exception>
    /// <exception cref="TapException">The kernel refused; <see cref="TapError.DeviceGone"/> when the device was deleted.</exception>
    public void AttachQueue(TapQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            if (!_all.Contains(queue) || queue.IsClosed)
            {
                throw new InvalidOperationException($"queue fd {queue.Id} does not belong to {Name} or is closed");
            }

            if (IndexOfAttached(queue) >= 0)
            {
                throw new InvalidOperationException($"queue fd {queue.Id} of {Name} is already attached");
            }

            SetQueue(queue, InterfaceRequests.IFF_ATTACH_QUEUE, "TUNSETQUEUE(IFF_ATTACH_QUEUE)");
            _attached.Add(queue);
            queue.KernelIndex = _attached.Count - 1;
        }
    }

    /// <summary>The kernel index of <paramref name="queue"/>, or -1 when it is detached or closed.</summary>
    public int IndexOf(TapQueue queue)
    {
        lock (_gate)
        {
            return IndexOfAttached(queue);
        }
    }

    /// <summary>
    /// The kernel's counters of the link now (rtnetlink <c>RTM_GETLINK</c>, <c>IFLA_STATS64</c>), asked through a
    /// socket opened in the device's namespace at creation, by interface index, so they are this device's wherever
    /// the caller runs. <see cref="TapLinkStatistics.TxDropped"/> is what the kernel dropped before any reader.
    /// </summary>
    /// <exception cref="TapException"><see cref="TapError.DeviceGone"/> once the device was deleted.</exception>
    public TapLinkStatistics ReadStatistics()
    {
        ThrowIfDisposed();
        lock (_netlinkGate)
        {
            uint sequence = ++_netlinkSequence;
            var request = new Interop.Netlink.GetLinkRequest
            {
                Header = new Interop.Netlink.MessageHeader
                {
                    Length = (uint)sizeof(Interop.Netlink.GetLinkRequest),
                    Type = Interop.Netlink.RTM_GETLINK,
                    Flags = Interop.Netlink.NLM_F_REQUEST,
                    Sequence = sequence,
                },
                Info = new Interop.Netlink.InterfaceInfo { Index = InterfaceIndex },
            };
            var kernel = new Interop.Netlink.Address { Family = Interop.Netlink.AF_NETLINK };
            byte[] reply = System.Buffers.ArrayPool<byte>.Shared.Rent(32 << 10);
            bool added = false;
            try
            {
                _netlink.DangerousAddRef(ref added);
                int fd = _netlink.DangerousGetFd();
                if (Interop.Sys.SendTo(fd, (byte*)&request, (nuint)sizeof(Interop.Netlink.GetLinkRequest), 0, &kernel, (uint)sizeof(Interop.Netlink.Address)) < 0)
                {
                    throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "RTM_GETLINK", Name);
                }

                while (true)
                {
                    nint length;
                    fixed (byte* buffer = reply)
                    {
                        do
                        {
                            length = Interop.Sys.Read(fd, buffer, (nuint)reply.Length);
                        }
                        while (length < 0 && Interop.IoErrors.LastErrno == Interop.Errno.EINTR);
                    }

                    if (length < 0)
                    {
                        throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "RTM_GETLINK", Name);
                    }

                    if (LinkStatisticsReply.TryParse(reply.AsSpan(0, (int)length), sequence, Name) is TapLinkStatistics statistics)
                    {
                        return statistics;
                    }
                }
            }
            finally
            {
                if (added)
                {
                    _netlink.DangerousRelease();
                }

                System.Buffers.ArrayPool<byte>.Shared.Return(reply);
            }
        }
    }

    /// <summary>Sets the link up or down (<c>SIOCSIFFLAGS</c> on the device's namespace).</summary>
    /// <exception cref="TapException">The kernel refused.</exception>
    public void SetLinkUp(bool up)
    {
        ThrowIfDisposed();
        Interop.Sys.IfReq request = NewRequest(Name);
        Interop.Checked.Ioctl(_control, InterfaceRequests.SIOCGIFFLAGS, &request, "SIOCGIFFLAGS", Name);
        request.Flags = up ? (short)(request.Flags | InterfaceRequests.IFF_UP) : (short)(request.Flags & ~InterfaceRequests.IFF_UP);
        Interop.Checked.Ioctl(_control, InterfaceRequests.SIOCSIFFLAGS, &request, "SIOCSIFFLAGS", Name);
    }

    /// <summary>Whether the link is up.</summary>
    public bool IsLinkUp
    {
        get
        {
            ThrowIfDisposed();
            Interop.Sys.IfReq request = NewRequest(Name);
            Interop.Checked.Ioctl(_control, InterfaceRequests.SIOCGIFFLAGS, &request, "SIOCGIFFLAGS", Name);
            return (request.Flags & InterfaceRequests.IFF_UP) != 0;
        }
    }

    /// <summary>The interface MTU (<c>SIOCGIFMTU</c>).</summary>
    public int Mtu
    {
        get
        {
            ThrowIfDisposed();
            Interop.Sys.IfReq request = NewRequest(Name);
            Interop.Checked.Ioctl(_control, InterfaceRequests.SIOCGIFMTU, &request, "SIOCGIFMTU", Name);
            return request.IntValue;
        }
    }

    /// <summary>The MAC address (<c>SIOCGIFHWADDR</c>); empty for a TUN device.</summary>
    public PhysicalAddress MacAddress
    {
        get
        {
            ThrowIfDisposed();
            if (Kind == TapKind.Tun)
            {
                return PhysicalAddress.None;
            }

            Interop.Sys.IfReq request = NewRequest(Name);
            Interop.Checked.Ioctl(_control, InterfaceRequests.SIOCGIFHWADDR, &request, "SIOCGIFHWADDR", Name);
            return new PhysicalAddress(new ReadOnlySpan<byte>(request.AddressData, 6).ToArray());
        }
    }

    /// <summary>The tun features the kernel offers (<c>TUNGETFEATURES</c>, <c>IFF_*</c> bits).</summary>
    public int KernelFeatures
    {
        get
        {
            TapQueue queue = AnyQueue();
            int features = 0;
            queue.Ioctl(TunIoctl.GetFeatures, &features, "TUNGETFEATURES");
            return features;
        }
    }

    /// <summary>Changes the accepted offloads (<c>TUNSETOFFLOAD</c>, argument passed by value).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown bits, or offloads without a vnet header.</exception>
    /// <exception cref="TapException">The kernel refused (for example offload bits it does not know).</exception>
    public void SetOffloads(TapOffloads offloads)
    {
        if ((offloads & ~(TapOffloads.Checksum | TapOffloads.Segmentation)) != 0 || (offloads != TapOffloads.None && VnetHeaderSize == 0))
        {
            throw new ArgumentOutOfRangeException(nameof(offloads), offloads, "unknown offload bits, or offloads on a device without a vnet header");
        }

        TapQueue queue = AnyQueue();
        queue.IoctlValue(TunIoctl.SetOffload, (nuint)offloads, "TUNSETOFFLOAD");
        Offloads = offloads;
    }

    /// <summary>Makes the device persistent or transient (<c>TUNSETPERSIST</c>). A transient device disappears with its last fd.</summary>
    /// <exception cref="TapException">The kernel refused.</exception>
    public void SetPersistent(bool persistent)
    {
        TapQueue queue = AnyQueue();
        queue.IoctlValue(TunIoctl.SetPersist, persistent ? 1u : 0u, "TUNSETPERSIST");
        Persistent = persistent;
    }

    /// <summary>Closes every queue fd and the control socket. A transient device disappears; a persistent one stays.</summary>
    public void Dispose()
    {
        TapQueue[] queues;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            queues = [.. _all];
        }

        // Close in reverse kernel order so no queue is moved into a hole while the others close.
        for (int i = queues.Length - 1; i >= 0; i--)
        {
            queues[i].Dispose();
        }

        _control.Dispose();
        _netlink.Dispose();
    }

    /// <summary>Called by a queue that closes: tun detaches it and moves the last queue into its slot.</summary>
    internal void OnQueueClosed(TapQueue queue)
    {
        lock (_gate)
        {
            int index = IndexOfAttached(queue);
            if (index >= 0)
            {
                RemoveAttachedAt(index);
            }

            _all.Remove(queue);
        }
    }

    internal TapQueue AnyQueue()
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            if (_all.Count == 0)
            {
                throw new InvalidOperationException($"{Name} has no open queue fd");
            }

            return _attached.Count > 0 ? _attached[0] : _all[0];
        }
    }

    /// <summary>An open queue, or null when the device was disposed or has none left.</summary>
    internal TapQueue? TryAnyQueue()
    {
        lock (_gate)
        {
            return _disposed || _all.Count == 0 ? null : _attached.Count > 0 ? _attached[0] : _all[0];
        }
    }

    private TapQueue Adopt(FileDescriptorHandle fd)
    {
        var queue = new TapQueue(this, fd);
        lock (_gate)
        {
            _all.Add(queue);
            _attached.Add(queue);
            queue.KernelIndex = _attached.Count - 1;
        }

        return queue;
    }

    private void ConfigureQueue(FileDescriptorHandle fd)
    {
        if (VnetHeaderSize == 0)
        {
            return;
        }

        int size = VnetHeaderSize;
        Interop.Checked.Ioctl(fd, TunIoctl.SetVnetHdrSz, &size, "TUNSETVNETHDRSZ", Name);
        int littleEndian = 1;
        Interop.Checked.Ioctl(fd, TunIoctl.SetVnetLe, &littleEndian, "TUNSETVNETLE", Name);
    }

    private void SetQueue(TapQueue queue, short flag, string operation)
    {
        Interop.Sys.IfReq request = default;
        request.Flags = flag;
        int errno = queue.TryIoctl(TunIoctl.SetQueue, &request);
        if (errno == Interop.Errno.EINVAL)
        {
            // The queue is in the state the request needs (checked above), so tun's EINVAL means the device is gone.
            throw new TapException(TapError.DeviceGone, errno, operation, $"{operation} on {Name} failed: the device was deleted, so the queue can no longer be attached or detached (errno {errno})");
        }

        if (errno != 0)
        {
            throw Interop.IoErrors.Create(errno, operation, Name);
        }
    }

    private int IndexOfAttached(TapQueue queue) => _attached.IndexOf(queue);

    private void RemoveAttachedAt(int index)
    {
        int last = _attached.Count - 1;
        _attached[index].KernelIndex = -1;
        _attached[index] = _attached[last];
        _attached.RemoveAt(last);
        if (index < last)
        {
            _attached[index].KernelIndex = index;
        }
    }

    private int QueryIndex()
    {
        Interop.Sys.IfReq request = NewRequest(Name);
        Interop.Checked.Ioctl(_control, InterfaceRequests.SIOCGIFINDEX, &request, "SIOCGIFINDEX", Name);
        return request.IntValue;
    }

    private static bool InterfaceExists(FileDescriptorHandle control, string name)
    {
        Interop.Sys.IfReq request = NewRequest(name);
        int errno = Interop.Checked.TryIoctl(control, InterfaceRequests.SIOCGIFINDEX, &request);
        return errno switch
        {
            0 => true,
            Interop.Errno.ENODEV => false,
            _ => throw Interop.IoErrors.Create(errno, "SIOCGIFINDEX", name),
        };
    }

    private static FileDescriptorHandle OpenQueueFd(string? name, short flags, out string actualName)
    {
        FileDescriptorHandle fd = Interop.Checked.Open(Interop.IoErrors.TunDevicePath, Interop.Sys.O_RDWR | Interop.Sys.O_NONBLOCK | Interop.Sys.O_CLOEXEC);
        try
        {
            Interop.Sys.IfReq request = NewRequest(name);
            request.Flags = flags;
            Interop.Checked.Ioctl(fd, TunIoctl.SetIff, &request, "TUNSETIFF", name ?? "a new device");
            actualName = ReadName(request);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    internal static Interop.Sys.IfReq NewRequest(string? name)
    {
        Interop.Sys.IfReq request = default;
        if (name is not null)
        {
            var bytes = new Span<byte>(request.Name, Interop.Sys.IFNAMSIZ - 1);
            Encoding.UTF8.GetBytes(name, bytes);
        }

        return request;
    }

    private static string ReadName(Interop.Sys.IfReq request)
    {
        var bytes = new ReadOnlySpan<byte>(request.Name, Interop.Sys.IFNAMSIZ);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
