namespace VnetHash.Tap.Reading;

/// <summary>
/// Reads a non-blocking queue fd with one <c>read</c> per frame until it is empty, then waits in <c>poll</c> on the
/// fd and the stop eventfd (closing an fd does not wake a blocked read, so the eventfd is what stops a wait).
/// </summary>
/// <remarks>
/// Frames are read one after another into one pinned slab; each read is offered <see cref="ReadCapacity"/> bytes,
/// enough for the largest frame the device can hand over, plus one byte: tun cuts a frame longer than the buffer
/// and discards the rest silently, so a read that fills the whole buffer is reported as possibly cut.
/// </remarks>
internal sealed unsafe class PollReader : IQueueReader
{
    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly string _subject;
    private readonly byte[] _slab;
    private readonly byte* _base;
    private int _used;

    /// <param name="fd">The queue fd (non-blocking); the caller keeps it open while this reader lives.</param>
    /// <param name="wakeFd">The eventfd that stops a wait; kept open likewise.</param>
    /// <param name="readCapacity">Bytes offered to each read.</param>
    /// <param name="batchBytes">Bytes of frames one batch may hold before it is handed over.</param>
    /// <param name="subject">The device, for messages.</param>
    internal PollReader(int fd, int wakeFd, int readCapacity, int batchBytes, string subject)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        _subject = subject;
        ReadCapacity = readCapacity;
        _slab = GC.AllocateUninitializedArray<byte>(batchBytes + readCapacity, pinned: true);
        fixed (byte* pointer = _slab)
        {
            _base = pointer;
        }
    }

    public ReaderEngine Engine => ReaderEngine.PollRead;

    public int ReadCapacity { get; }

    public long BufferStalls => 0;

    public long Discarded => 0;

    public int Read(Span<FrameSlot> frames)
    {
        Interop.Sys.PollFd* polls = stackalloc Interop.Sys.PollFd[2];
        while (true)
        {
            int count = 0;
            while (count < frames.Length && _slab.Length - _used >= ReadCapacity)
            {
                nint read = Interop.Sys.Read(_fd, _base + _used, (nuint)ReadCapacity);
                if (read >= 0)
                {
                    frames[count++] = new FrameSlot { Address = (nint)(_base + _used), Length = (int)read };
                    _used += ((int)read + 7) & ~7;
                    continue;
                }

                int errno = Interop.IoErrors.LastErrno;
                if (errno == Interop.Errno.EAGAIN)
                {
                    break;
                }

                if (errno != Interop.Errno.EINTR)
                {
                    throw ReadErrors.Ended(errno, "read", _subject);
                }
            }

            if (count > 0)
            {
                return count;
            }

            polls[0] = new Interop.Sys.PollFd { Fd = _fd, Events = Interop.Sys.POLLIN };
            polls[1] = new Interop.Sys.PollFd { Fd = _wakeFd, Events = Interop.Sys.POLLIN };
            int ready = Interop.Sys.Poll(polls, 2, -1);
            if (ready < 0)
            {
                int errno = Interop.IoErrors.LastErrno;
                if (errno == Interop.Errno.EINTR)
                {
                    continue;
                }

                throw Interop.IoErrors.Create(errno, "poll", _subject);
            }

            if (polls[1].ReturnedEvents != 0)
            {
                return 0;
            }

            if ((polls[0].ReturnedEvents & (Interop.Sys.POLLERR | Interop.Sys.POLLHUP | Interop.Sys.POLLNVAL)) != 0)
            {
                throw ReadErrors.PollError(_subject, polls[0].ReturnedEvents);
            }
        }
    }

    public void Recycle() => _used = 0;

    public void Dispose()
    {
    }
}
