namespace VnetHash.Tap.Reading;

/// <summary>
/// Reads a queue fd with io_uring: one multishot read (<c>IORING_OP_READ_MULTISHOT</c>) into a provided-buffer ring,
/// re-armed whenever a completion comes without <c>IORING_CQE_F_MORE</c>, and a one-shot poll on the stop eventfd.
/// Each <see cref="Read"/> is one io_uring_enter that submits what needs submitting, waits for a completion and
/// returns every frame completed by then.
/// </summary>
/// <remarks>
/// A read takes a whole buffer. When every buffer is lent out the read ends with ENOBUFS: that is counted as a
/// stall (<see cref="BufferStalls"/>), the frame stays in the kernel's queue, and the read is re-armed after the
/// batch is recycled. A frame longer than a buffer is cut by the kernel to the buffer's length, so a completion of
/// exactly <see cref="ReadCapacity"/> bytes is reported as possibly cut.
/// </remarks>
internal sealed unsafe class IoUringReader : IQueueReader
{
    private const ulong ReadTag = 1;
    private const ulong WakeTag = 2;
    private const ulong CancelTag = 3;
    private const ushort Group = 1;

    private readonly IoUringRing _ring;
    private readonly ProvidedBuffers _buffers;
    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly string _subject;
    private readonly ushort[] _lent;
    private int _lentCount;
    private bool _readArmed;
    private bool _wakeArmed;
    private bool _stopSeen;
    private long _stalls;
    private long _discarded;
    private bool _disposed;

    /// <summary>Sets the ring up on the calling thread, which alone may use it afterwards.</summary>
    /// <param name="fd">The queue fd; the caller keeps it open while this reader lives.</param>
    /// <param name="wakeFd">The eventfd that stops a wait; kept open likewise.</param>
    /// <param name="bufferSize">Bytes per buffer: the longest read plus one, so a cut read can be told apart.</param>
    /// <param name="bufferCount">Buffers in the ring (a power of two).</param>
    /// <param name="subject">The device, for messages.</param>
    internal IoUringReader(int fd, int wakeFd, int bufferSize, int bufferCount, string subject)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        _subject = subject;
        _lent = new ushort[bufferCount];
        _ring = IoUringRing.Create(8, (uint)(bufferCount * 2));
        try
        {
            _buffers = new ProvidedBuffers(_ring, Group, bufferCount, bufferSize);
        }
        catch
        {
            _ring.Dispose();
            throw;
        }
    }

    public ReaderEngine Engine => ReaderEngine.IoUring;

    public int ReadCapacity => _buffers.Size;

    public long BufferStalls => Volatile.Read(ref _stalls);

    public long Discarded => Volatile.Read(ref _discarded);

    public int Read(Span<FrameSlot> frames)
    {
        while (true)
        {
            // Every completion already there is handed over before a stop is obeyed: the kernel counted those frames as sent.
            int count = Harvest(frames);
            if (count > 0)
            {
                return count;
            }

            if (_stopSeen)
            {
                return 0;
            }

            Arm();
            int errno = _ring.Enter(minComplete: 1);
            if (errno is not (0 or Interop.Errno.EAGAIN or Interop.Errno.EBUSY))
            {
                throw Interop.IoErrors.Create(errno, "io_uring_enter", _subject);
            }
        }
    }

    public void Recycle()
    {
        for (int i = 0; i < _lentCount; i++)
        {
            _buffers.Return(_lent[i]);
        }

        if (_lentCount > 0)
        {
            _buffers.Publish();
            _lentCount = 0;
        }
    }

    /// <summary>Cancels the read and the poll, waits until the kernel has let go of the queue fd and the buffers, and closes the ring.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            CancelAll();
            _buffers.Unregister(_ring);
        }
        finally
        {
            _ring.Dispose();
            _buffers.Dispose();
        }
    }

    private void Arm()
    {
        if (!_readArmed)
        {
            Interop.IoUring.Sqe* sqe = _ring.NextSqe();
            sqe->Opcode = Interop.IoUring.OpReadMultishot;
            sqe->Flags = Interop.IoUring.SqeBufferSelect;
            sqe->Fd = _fd;
            sqe->BufferGroup = _buffers.Group;
            sqe->UserData = ReadTag;
            _readArmed = true;
        }

        if (!_wakeArmed)
        {
            Interop.IoUring.Sqe* sqe = _ring.NextSqe();
            sqe->Opcode = Interop.IoUring.OpPollAdd;
            sqe->Fd = _wakeFd;
            sqe->OperationFlags = (ushort)Interop.Sys.POLLIN;
            sqe->UserData = WakeTag;
            _wakeArmed = true;
        }
    }

    private int Harvest(Span<FrameSlot> frames)
    {
        int count = 0;
        uint ready = _ring.ReadyCompletions;
        uint seen = 0;
        try
        {
            for (; seen < ready && count < frames.Length; seen++)
            {
                Interop.IoUring.Cqe cqe = _ring.CompletionAt(seen);
                if (cqe.UserData == WakeTag)
                {
                    _wakeArmed = false;
                    _stopSeen = true;
                    continue;
                }

                if (cqe.UserData != ReadTag)
                {
                    continue;
                }

                if ((cqe.Flags & Interop.IoUring.CqeMore) == 0)
                {
                    _readArmed = false;
                }

                if ((cqe.Flags & Interop.IoUring.CqeBuffer) != 0)
                {
                    ushort id = (ushort)(cqe.Flags >> Interop.IoUring.CqeBufferShift);
                    _lent[_lentCount++] = id;
                    if (cqe.Result > 0)
                    {
                        frames[count++] = new FrameSlot { Address = _buffers.AddressOf(id), Length = cqe.Result };
                    }

                    continue;
                }

                if (cqe.Result == -Interop.Errno.ENOBUFS)
                {
                    // Every buffer is lent out: the frame waits in the kernel until the batch is recycled and the read re-armed.
                    _stalls++;
                }
                else if (cqe.Result < 0 && cqe.Result != -Interop.Errno.EAGAIN)
                {
                    throw ReadErrors.Ended(-cqe.Result, "io_uring read", _subject);
                }
            }
        }
        finally
        {
            _ring.Consume(seen);
        }

        return count;
    }

    private void CancelAll()
    {
        if (!_readArmed && !_wakeArmed)
        {
            return;
        }

        Interop.IoUring.Sqe* sqe = _ring.NextSqe();
        sqe->Opcode = Interop.IoUring.OpAsyncCancel;
        sqe->OperationFlags = Interop.IoUring.AsyncCancelAny | Interop.IoUring.AsyncCancelAll;
        sqe->UserData = CancelTag;
        bool cancelDone = false;
        for (int rounds = 0; rounds < 64 && (_readArmed || _wakeArmed || !cancelDone); rounds++)
        {
            if (_ring.Enter(minComplete: 1) is not (0 or Interop.Errno.EAGAIN or Interop.Errno.EBUSY))
            {
                return;
            }

            uint ready = _ring.ReadyCompletions;
            for (uint i = 0; i < ready; i++)
            {
                Interop.IoUring.Cqe cqe = _ring.CompletionAt(i);
                if (cqe.UserData == ReadTag && (cqe.Flags & Interop.IoUring.CqeBuffer) != 0 && cqe.Result > 0)
                {
                    // Read by the kernel while the read was being cancelled: taken from the queue, never handed over.
                    _discarded++;
                }

                switch (cqe.UserData)
                {
                    case ReadTag when (cqe.Flags & Interop.IoUring.CqeMore) == 0:
                        _readArmed = false;
                        break;
                    case WakeTag:
                        _wakeArmed = false;
                        break;
                    case CancelTag:
                        cancelDone = true;
                        break;
                }
            }

            _ring.Consume(ready);
        }
    }
}
