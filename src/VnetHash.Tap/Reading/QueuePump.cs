using System.Buffers;
using VnetHash.Hashing;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Reading;

/// <summary>
/// The reader of one kernel queue fd: a dedicated thread that reads frames without blocking and waits in
/// <c>poll</c> on the queue fd and the receiver's eventfd, so a stop wakes it at once (closing an fd would not
/// wake a blocked read, linux-tap-ebpf.md §7).
/// </summary>
/// <remarks>
/// Frames are read into one buffer sized for the largest frame tun can hand over (header + 64 KiB + Ethernet and
/// VLAN headers, whatever the offloads and MTU are now, since both can change while reading), then copied into a
/// pooled buffer of the frame's own size, so a queued frame never pins 64 KiB. A read that fills the whole buffer
/// may have been cut (tun discards the rest silently), so that buffer is one byte longer than any legal frame and
/// such a read is counted as truncated and dropped.
/// </remarks>
internal sealed unsafe class QueuePump
{
    /// <summary>Largest frame after the header: 64 KiB of GSO payload plus Ethernet and one VLAN tag, plus one byte to detect truncation.</summary>
    internal const int MaxFrameBytes = ushort.MaxValue + 14 + 4 + 1;

    private readonly TapQueue _queue;
    private readonly int _index;
    private readonly TapReceiver _receiver;
    private readonly Thread _thread;
    private long _framesRead;
    private long _bytesRead;
    private long _truncated;

    internal QueuePump(TapQueue queue, int index, TapReceiver receiver)
    {
        _queue = queue;
        _index = index;
        _receiver = receiver;
        _thread = new Thread(Run) { IsBackground = true, Name = $"tap {queue.Device.Name} q{index}" };
    }

    internal TapQueue Queue => _queue;

    internal KernelQueueStatistics Statistics => new(Interlocked.Read(ref _framesRead), Interlocked.Read(ref _bytesRead), Interlocked.Read(ref _truncated));

    internal void Start() => _thread.Start();

    internal bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        FileDescriptorHandle fd = _queue.Handle;
        FileDescriptorHandle wake = _receiver.WakeHandle;
        bool fdAdded = false;
        bool wakeAdded = false;
        try
        {
            fd.DangerousAddRef(ref fdAdded);
            wake.DangerousAddRef(ref wakeAdded);
            Loop(fd.DangerousGetFd(), wake.DangerousGetFd());
        }
        catch (ObjectDisposedException)
        {
            _receiver.OnPumpFailed(new TapException(TapError.DeviceGone, 0, "read", $"read on {_queue.Device.Name} failed: the queue fd was closed before its reader started"));
        }
        catch (Exception error)
        {
            _receiver.OnPumpFailed(error);
        }
        finally
        {
            if (fdAdded)
            {
                fd.DangerousRelease();
            }

            if (wakeAdded)
            {
                wake.DangerousRelease();
            }
        }
    }

    private void Loop(int fd, int wake)
    {
        int headerSize = _queue.Device.VnetHeaderSize;
        byte[] scratch = GC.AllocateUninitializedArray<byte>(headerSize + MaxFrameBytes, pinned: true);
        Interop.Sys.PollFd* polls = stackalloc Interop.Sys.PollFd[2];
        CancellationToken stop = _receiver.StopToken;

        while (!stop.IsCancellationRequested)
        {
            int errno = TapQueue.ReadOnce(fd, scratch, out int length);
            if (errno == 0)
            {
                Deliver(scratch, length, headerSize, stop);
                continue;
            }

            if (errno != Interop.Errno.EAGAIN)
            {
                throw Gone(errno);
            }

            polls[0] = new Interop.Sys.PollFd { Fd = fd, Events = Interop.Sys.POLLIN };
            polls[1] = new Interop.Sys.PollFd { Fd = wake, Events = Interop.Sys.POLLIN };
            int ready;
            do
            {
                ready = Interop.Sys.Poll(polls, 2, -1);
            }
            while (ready < 0 && Interop.IoErrors.LastErrno == Interop.Errno.EINTR);

            if (ready < 0)
            {
                throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "poll", _queue.Device.Name);
            }

            if (polls[1].ReturnedEvents != 0)
            {
                return;
            }

            if ((polls[0].ReturnedEvents & (Interop.Sys.POLLERR | Interop.Sys.POLLHUP | Interop.Sys.POLLNVAL)) != 0)
            {
                // tun's poll reports an error once the fd has no device: the link was deleted or the queue detached.
                throw new TapException(TapError.DeviceGone, 0, "poll", $"reading {_queue.Device.Name} queue fd #{_queue.Id} ended: the device was deleted or the queue detached (poll revents 0x{(ushort)polls[0].ReturnedEvents:x})");
            }
        }
    }

    private void Deliver(byte[] scratch, int length, int headerSize, CancellationToken stop)
    {
        Interlocked.Increment(ref _framesRead);
        Interlocked.Add(ref _bytesRead, length);
        if (length >= scratch.Length || length < headerSize)
        {
            Interlocked.Increment(ref _truncated);
            return;
        }

        Span<byte> packet = scratch.AsSpan(0, length);
        int target = _receiver.Router.Route(packet, headerSize, _index, out HashReport report);
        ReceiveQueue queue = _receiver.QueueAt(target);
        if (_receiver.Options.WhenFull == FullQueueBehavior.Drop && queue.IsFull)
        {
            queue.CountDropped();
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        packet.CopyTo(buffer);
        var frame = new TapFrame(buffer, length, headerSize, target);
        while (!queue.TryAdd(frame, report))
        {
            if (_receiver.Options.WhenFull == FullQueueBehavior.Drop)
            {
                queue.CountDropped();
                frame.Dispose();
                return;
            }

            // Stop reading the fd: the kernel keeps the frames and drops (and counts) what does not fit its queue.
            if (!queue.WaitForSpace(stop))
            {
                frame.Dispose();
                return;
            }
        }
    }

    private TapException Gone(int errno)
    {
        TapException error = Interop.IoErrors.Create(errno, "read", _queue.Device.Name);
        return error.Error == TapError.DeviceGone
            ? new TapException(TapError.DeviceGone, errno, "read", $"reading {_queue.Device.Name} queue fd #{_queue.Id} ended: the device was deleted or the queue detached ({error.Message})")
            : error;
    }
}
