using System.Buffers;
using System.Runtime.InteropServices;
using VnetHash.Abi;
using VnetHash.Packets;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;
using VnetHash.VirtioNet;

namespace VnetHash.Tap.Devices;

/// <summary>
/// One queue of a <see cref="TapDevice"/>: a non-blocking <c>/dev/net/tun</c> fd. One read returns exactly one
/// frame (header first); one write sends exactly one frame.
/// </summary>
public sealed unsafe class TapQueue : IDisposable
{
    /// <summary>The longest frame tun accepts after the header: 64 KiB plus Ethernet and one VLAN tag.</summary>
    private const int MaxFrameLength = ushort.MaxValue + 14 + 4;

    private static int s_nextId;
    private readonly FileDescriptorHandle _fd;
    private int _closed;
    private volatile int _kernelIndex = -1;

    internal TapQueue(TapDevice device, FileDescriptorHandle fd)
    {
        Device = device;
        _fd = fd;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>Raised when the fd starts closing, so readers stop and release it.</summary>
    internal event Action<TapQueue>? Closing;

    /// <summary>The device this queue belongs to.</summary>
    public TapDevice Device { get; }

    /// <summary>A process-unique number for this queue fd, stable across attach and detach (for diagnostics).</summary>
    public int Id { get; }

    /// <summary>The current kernel queue index, or -1 when detached or closed.</summary>
    public int Index => Device.IndexOf(this);

    /// <summary>
    /// The kernel index as the device last set it, read without its lock: what a reader labels a batch with. It
    /// changes as queues are detached and attached, exactly as tun moves them.
    /// </summary>
    internal int KernelIndex
    {
        get => _kernelIndex;
        set => _kernelIndex = value;
    }

    /// <summary>Whether the queue is attached to the device.</summary>
    public bool IsAttached => Index >= 0;

    /// <summary>Whether the fd was closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The fd, for polling and for the steering-program attachment.</summary>
    public FileDescriptorHandle Handle => _fd;

    /// <summary>
    /// Reads one frame (vnet header first) without blocking.
    /// </summary>
    /// <param name="buffer">Receives the frame. A frame longer than the buffer is cut and its rest is lost, so size it for the largest frame.</param>
    /// <param name="length">The bytes read.</param>
    /// <returns>False when no frame is waiting.</returns>
    /// <exception cref="TapException">The read failed; <see cref="TapError.DeviceGone"/> when the device was deleted or the queue detached.</exception>
    public bool TryRead(Span<byte> buffer, out int length)
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            int errno = ReadOnce(_fd.DangerousGetFd(), buffer, out length);
            if (errno == 0)
            {
                return true;
            }

            if (errno == Interop.Errno.EAGAIN)
            {
                return false;
            }

            throw Interop.IoErrors.Create(errno, "read", Device.Name);
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Waits until a frame can be read or <paramref name="timeout"/> passes: the wait for a read loop of the caller's
    /// own around <see cref="TryRead"/> (the receivers in VnetHash.Tap.Reading wait on their own).
    /// </summary>
    /// <returns>True when a frame waits, or the queue has an error the next <see cref="TryRead"/> reports.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative other than infinite, or too long for poll(2).</exception>
    public bool WaitReadable(TimeSpan timeout)
    {
        long milliseconds = (long)timeout.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(milliseconds, -1, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(milliseconds, int.MaxValue, nameof(timeout));
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var poll = new Interop.Sys.PollFd { Fd = _fd.DangerousGetFd(), Events = Interop.Sys.POLLIN };
            int ready;
            do
            {
                ready = Interop.Sys.Poll(&poll, 1, (int)milliseconds);
            }
            while (ready < 0 && Interop.IoErrors.LastErrno == Interop.Errno.EINTR);

            if (ready < 0)
            {
                throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "poll", Device.Name);
            }

            return ready > 0;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Reads one frame from a raw fd: 0 and the length, or the errno (EAGAIN when nothing waits). EINTR is retried.</summary>
    internal static int ReadOnce(int fd, Span<byte> buffer, out int length)
    {
        fixed (byte* pointer = buffer)
        {
            nint read;
            do
            {
                read = Interop.Sys.Read(fd, pointer, (nuint)buffer.Length);
            }
            while (read < 0 && Interop.IoErrors.LastErrno == Interop.Errno.EINTR);

            if (read < 0)
            {
                length = 0;
                return Interop.IoErrors.LastErrno;
            }

            length = (int)read;
            return 0;
        }
    }

    /// <summary>Writes one packet that already starts with its vnet header (little-endian), checked first by the kernel's write rules.</summary>
    /// <exception cref="TapException">The packet breaks a rule (<see cref="TapError.InvalidFrame"/>, the message names it) or the kernel refused it.</exception>
    public void Write(ReadOnlySpan<byte> packet)
    {
        ValidateForWrite(packet);
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            fixed (byte* pointer = packet)
            {
                nint written;
                do
                {
                    written = Interop.Sys.Write(_fd.DangerousGetFd(), pointer, (nuint)packet.Length);
                }
                while (written < 0 && Interop.IoErrors.LastErrno == Interop.Errno.EINTR);

                if (written < 0)
                {
                    throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "write", Device.Name);
                }
            }
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Writes one frame after <paramref name="header"/>, encoded little-endian at the device's header size.</summary>
    /// <exception cref="TapException">The header or frame breaks a rule (<see cref="TapError.InvalidFrame"/>), or the kernel refused it.</exception>
    public void WriteFrame(in VirtioNetHeader header, ReadOnlySpan<byte> frame)
    {
        int headerSize = Device.VnetHeaderSize;
        if (headerSize == 0)
        {
            throw InvalidFrame("the device has no vnet header (created with VnetHeaderSize 0)", null);
        }

        int length = headerSize + frame.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            header.WriteTo(buffer.AsSpan(0, headerSize), VnetByteOrder.LittleEndian);
            frame.CopyTo(buffer.AsSpan(headerSize));
            Write(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes one frame with its vnet header; the two are joined in a pooled buffer so the kernel reads one packet.</summary>
    /// <param name="header">Exactly <see cref="TapDevice.VnetHeaderSize"/> bytes, little-endian.</param>
    /// <param name="frame">The Ethernet frame (TAP) or IP packet (TUN).</param>
    /// <exception cref="TapException">The header or frame breaks a rule (<see cref="TapError.InvalidFrame"/>), or the kernel refused it.</exception>
    public void WriteFrame(ReadOnlySpan<byte> header, ReadOnlySpan<byte> frame)
    {
        if (header.Length != Device.VnetHeaderSize)
        {
            throw InvalidFrame($"the vnet header has {header.Length} bytes; the device uses {Device.VnetHeaderSize}", null);
        }

        int length = header.Length + frame.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            header.CopyTo(buffer);
            frame.CopyTo(buffer.AsSpan(header.Length));
            Write(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Attaches a steering program (<c>TUNSETSTEERINGEBPF</c>, a pointer to the program fd); it chooses the queue of
    /// every packet of the device. Pass null to detach.
    /// </summary>
    /// <exception cref="TapException">The kernel refused (for example <see cref="TapError.PermissionDenied"/>).</exception>
    public void SetSteeringProgram(SafeHandle? program)
    {
        bool added = false;
        try
        {
            int fd = -1;
            if (program is not null)
            {
                program.DangerousAddRef(ref added);
                fd = (int)program.DangerousGetHandle().ToInt64();
            }

            Ioctl(TunIoctl.SetSteeringEbpf, &fd, "TUNSETSTEERINGEBPF");
        }
        finally
        {
            if (added)
            {
                program!.DangerousRelease();
            }
        }
    }

    /// <summary>The vnet header size the kernel uses (<c>TUNGETVNETHDRSZ</c>).</summary>
    /// <exception cref="TapException"><see cref="TapError.DeviceGone"/> after the device was deleted.</exception>
    public int QueryVnetHeaderSize()
    {
        int size = 0;
        Ioctl(TunIoctl.GetVnetHdrSz, &size, "TUNGETVNETHDRSZ");
        return size;
    }

    /// <summary>Closes the fd. tun detaches the queue and moves the last queue into its kernel index.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // A reader holds the fd open (SafeHandle reference) while it polls; tell it to let go first.
        Closing?.Invoke(this);
        Device.OnQueueClosed(this);
        _fd.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Device.Name} queue fd #{Id} (index {Index})";

    internal int TryIoctl(nuint request, void* argument) => Interop.Checked.TryIoctl(_fd, request, argument);

    internal void Ioctl(nuint request, void* argument, string operation) => Interop.Checked.Ioctl(_fd, request, argument, operation, Device.Name);

    internal void IoctlValue(nuint request, nuint argument, string operation) => Interop.Checked.IoctlValue(_fd, request, argument, operation, Device.Name);

    private void ValidateForWrite(ReadOnlySpan<byte> packet)
    {
        int headerSize = Device.VnetHeaderSize;
        if (packet.Length > headerSize + MaxFrameLength)
        {
            throw InvalidFrame($"the frame has {packet.Length - headerSize} bytes, more than a tun device accepts ({MaxFrameLength})", null);
        }

        FrameKind kind = Device.IsEthernet ? FrameKind.Ethernet : FrameKind.IP;
        if (headerSize == 0)
        {
            int minimum = Device.IsEthernet ? 14 : 1;
            if (packet.Length < minimum)
            {
                throw InvalidFrame($"the frame has {packet.Length} bytes, fewer than {minimum}", null);
            }

            return;
        }

        try
        {
            VirtioNetWriteValidator.Validate(packet, headerSize, VnetByteOrder.LittleEndian, kind);
        }
        catch (VirtioNetHeaderException error)
        {
            throw InvalidFrame(error.Message, error);
        }
    }

    private TapException InvalidFrame(string reason, Exception? inner) =>
        new(TapError.InvalidFrame, 0, "write", $"write on {Device.Name} refused: {reason}", inner);
}
