using System.Runtime.CompilerServices;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Reading;

/// <summary>
/// One io_uring instance, owned by the thread that created it (<c>IORING_SETUP_SINGLE_ISSUER</c>, and
/// <c>IORING_SETUP_DEFER_TASKRUN</c> so completions are produced only while that thread waits in io_uring_enter):
/// the submission and completion rings mapped into this process.
/// </summary>
internal sealed unsafe class IoUringRing : IDisposable
{
    private readonly FileDescriptorHandle _fd;
    private readonly nint _rings;
    private readonly nuint _ringsSize;
    private readonly nint _cqRing;
    private readonly nuint _cqRingSize;
    private readonly Interop.IoUring.Sqe* _sqes;
    private readonly nuint _sqesSize;
    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint _sqEntries;
    private readonly uint* _sqArray;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly Interop.IoUring.Cqe* _cqes;
    private uint _sqLocalTail;
    private bool _disposed;

    private IoUringRing(FileDescriptorHandle fd, in Interop.IoUring.Parameters p, nint rings, nuint ringsSize, nint cqRing, nuint cqRingSize, nint sqes, nuint sqesSize)
    {
        _fd = fd;
        _rings = rings;
        _ringsSize = ringsSize;
        _cqRing = cqRing;
        _cqRingSize = cqRingSize;
        _sqes = (Interop.IoUring.Sqe*)sqes;
        _sqesSize = sqesSize;
        byte* sq = (byte*)rings;
        byte* cq = (byte*)(cqRing == 0 ? rings : cqRing);
        _sqHead = (uint*)(sq + p.SqOffsets.Head);
        _sqTail = (uint*)(sq + p.SqOffsets.Tail);
        _sqMask = *(uint*)(sq + p.SqOffsets.RingMask);
        _sqEntries = p.SqEntries;
        _sqArray = (uint*)(sq + p.SqOffsets.Array);
        _cqHead = (uint*)(cq + p.CqOffsets.Head);
        _cqTail = (uint*)(cq + p.CqOffsets.Tail);
        _cqMask = *(uint*)(cq + p.CqOffsets.RingMask);
        _cqes = (Interop.IoUring.Cqe*)(cq + p.CqOffsets.Cqes);
        _sqLocalTail = *_sqTail;
        for (uint i = 0; i < _sqEntries; i++)
        {
            _sqArray[i] = i;
        }
    }

    /// <summary>The instance's fd, for registrations.</summary>
    internal FileDescriptorHandle Handle => _fd;

    /// <summary>Creates an instance with <paramref name="sqEntries"/> submission and <paramref name="cqEntries"/> completion slots.</summary>
    /// <exception cref="Errors.TapException">io_uring_setup or mmap failed (the message names the errno).</exception>
    /// <exception cref="PlatformNotSupportedException">io_uring is not mapped for this architecture.</exception>
    internal static IoUringRing Create(uint sqEntries, uint cqEntries)
    {
        Interop.IoUring.Parameters p = default;
        p.Flags = Interop.IoUring.SetupCqSize | Interop.IoUring.SetupSubmitAll | Interop.IoUring.SetupSingleIssuer | Interop.IoUring.SetupDeferTaskRun;
        p.CqEntries = cqEntries;
        int fd = Interop.IoUring.Setup(sqEntries, &p);
        if (fd < 0)
        {
            throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "io_uring_setup", null, "CAP_SYS_ADMIN or kernel.io_uring_disabled = 0");
        }

        var handle = new FileDescriptorHandle(fd, ownsHandle: true);
        nint rings = 0, cqRing = 0, sqes = 0;
        nuint sqSize = p.SqOffsets.Array + (p.SqEntries * sizeof(uint));
        nuint cqSize = p.CqOffsets.Cqes + (p.CqEntries * (nuint)sizeof(Interop.IoUring.Cqe));
        bool single = (p.Features & Interop.IoUring.FeatureSingleMmap) != 0;
        nuint ringsSize = single ? Math.Max(sqSize, cqSize) : sqSize;
        nuint sqesSize = p.SqEntries * (nuint)sizeof(Interop.IoUring.Sqe);
        try
        {
            rings = Map(fd, ringsSize, Interop.IoUring.OffsetSqRing);
            if (!single)
            {
                cqRing = Map(fd, cqSize, Interop.IoUring.OffsetCqRing);
            }

            sqes = Map(fd, sqesSize, Interop.IoUring.OffsetSqes);
            return new IoUringRing(handle, p, rings, ringsSize, cqRing, single ? 0 : cqSize, sqes, sqesSize);
        }
        catch
        {
            Unmap(sqes, sqesSize);
            Unmap(cqRing, cqSize);
            Unmap(rings, ringsSize);
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The next free submission entry, zeroed; it is submitted by the next <see cref="Enter"/>.</summary>
    /// <exception cref="InvalidOperationException">Every entry is taken (callers submit few, so this is a bug).</exception>
    internal Interop.IoUring.Sqe* NextSqe()
    {
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) >= _sqEntries)
        {
            throw new InvalidOperationException("the io_uring submission ring is full");
        }

        Interop.IoUring.Sqe* sqe = &_sqes[_sqLocalTail & _sqMask];
        Unsafe.InitBlock(sqe, 0, (uint)sizeof(Interop.IoUring.Sqe));
        _sqLocalTail++;
        return sqe;
    }

    /// <summary>Submits what <see cref="NextSqe"/> prepared and, when <paramref name="minComplete"/> is above 0, waits for that many completions.</summary>
    /// <returns>0, or the errno (EINTR is retried; EAGAIN and EBUSY mean "reap completions first").</returns>
    internal int Enter(uint minComplete)
    {
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        while (true)
        {
            uint pending = _sqLocalTail - Volatile.Read(ref *_sqHead);
            int result = Interop.IoUring.Enter(_fd.DangerousGetFd(), pending, minComplete, minComplete > 0 ? Interop.IoUring.EnterGetEvents : 0);
            if (result >= 0)
            {
                return 0;
            }

            int errno = Interop.IoErrors.LastErrno;
            if (errno != Interop.Errno.EINTR)
            {
                return errno;
            }
        }
    }

    /// <summary>The completions ready now: their count, starting at <see cref="CompletionAt"/>(0).</summary>
    internal uint ReadyCompletions => Volatile.Read(ref *_cqTail) - *_cqHead;

    /// <summary>The <paramref name="index"/>-th ready completion.</summary>
    internal ref readonly Interop.IoUring.Cqe CompletionAt(uint index) => ref _cqes[(*_cqHead + index) & _cqMask];

    /// <summary>Releases <paramref name="count"/> completions to the kernel.</summary>
    internal void Consume(uint count) => Volatile.Write(ref *_cqHead, *_cqHead + count);

    /// <summary>Unmaps the rings and closes the instance; the kernel cancels what is still pending.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Unmap((nint)_sqes, _sqesSize);
        Unmap(_cqRing, _cqRingSize);
        Unmap(_rings, _ringsSize);
        _fd.Dispose();
    }

    private static nint Map(int fd, nuint size, long offset)
    {
        nint address = Interop.Sys.MMap(0, size, Interop.Sys.PROT_READ | Interop.Sys.PROT_WRITE, Interop.Sys.MAP_SHARED | Interop.Sys.MAP_POPULATE, fd, offset);
        return address == Interop.Sys.MapFailed ? throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "mmap of an io_uring ring", null) : address;
    }

    private static void Unmap(nint address, nuint size)
    {
        if (address != 0)
        {
            _ = Interop.Sys.MUnmap(address, size);
        }
    }
}
