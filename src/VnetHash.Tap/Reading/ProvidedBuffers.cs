using System.Runtime.InteropServices;

namespace VnetHash.Tap.Reading;

/// <summary>
/// A provided-buffer ring (<c>IORING_REGISTER_PBUF_RING</c>): <see cref="Count"/> buffers of <see cref="Size"/> bytes
/// that the kernel picks from, in order, for each read; a buffer is the reader's from its completion until
/// <see cref="Return"/> puts it back and <see cref="Publish"/> makes it visible.
/// </summary>
internal sealed unsafe class ProvidedBuffers : IDisposable
{
    private const int PageSize = 4096;
    private readonly Interop.IoUring.Buffer* _ring;
    private readonly byte* _data;
    private readonly ushort _mask;
    private ushort _tail;
    private bool _disposed;

    /// <summary>Allocates and registers <paramref name="count"/> buffers (a power of two up to 32768) as group <paramref name="group"/>, all given to the kernel.</summary>
    /// <exception cref="Errors.TapException">The kernel refused the registration.</exception>
    internal ProvidedBuffers(IoUringRing ring, ushort group, int count, int size)
    {
        if (count < 1 || count > 32768 || (count & (count - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "a provided-buffer ring holds a power of two up to 32768 buffers");
        }

        Count = count;
        Size = size;
        Group = group;
        _mask = (ushort)(count - 1);
        _ring = (Interop.IoUring.Buffer*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(Interop.IoUring.Buffer)), PageSize);
        NativeMemory.Clear(_ring, (nuint)(count * sizeof(Interop.IoUring.Buffer)));
        _data = (byte*)NativeMemory.AlignedAlloc((nuint)count * (nuint)size, PageSize);
        var registration = new Interop.IoUring.BufferRegistration { RingAddress = (ulong)_ring, RingEntries = (uint)count, GroupId = group };
        bool added = false;
        try
        {
            ring.Handle.DangerousAddRef(ref added);
            if (Interop.IoUring.Register(ring.Handle.DangerousGetFd(), Interop.IoUring.RegisterPbufRing, &registration, 1) < 0)
            {
                throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "IORING_REGISTER_PBUF_RING", null);
            }
        }
        catch
        {
            Free();
            throw;
        }
        finally
        {
            if (added)
            {
                ring.Handle.DangerousRelease();
            }
        }

        for (int id = 0; id < count; id++)
        {
            Return((ushort)id);
        }

        Publish();
    }

    internal int Count { get; }

    internal int Size { get; }

    internal ushort Group { get; }

    /// <summary>The first byte of buffer <paramref name="id"/>.</summary>
    internal nint AddressOf(ushort id) => (nint)(_data + ((nint)id * Size));

    /// <summary>Queues buffer <paramref name="id"/> for the kernel; it takes it once published.</summary>
    internal void Return(ushort id)
    {
        // Field by field: the reserved field of entry 0 is the ring's tail.
        Interop.IoUring.Buffer* entry = &_ring[_tail & _mask];
        entry->Address = (ulong)AddressOf(id);
        entry->Length = (uint)Size;
        entry->Id = id;
        _tail++;
    }

    /// <summary>Makes the returned buffers visible to the kernel (a release store of the tail).</summary>
    internal void Publish() => Volatile.Write(ref _ring->Reserved, _tail);

    /// <summary>Takes the buffers back from the kernel (no read may be in flight); errors are ignored, closing the ring does it too.</summary>
    internal void Unregister(IoUringRing ring)
    {
        var registration = new Interop.IoUring.BufferRegistration { GroupId = Group };
        _ = Interop.IoUring.Register(ring.Handle.DangerousGetFd(), Interop.IoUring.UnregisterPbufRing, &registration, 1);
    }

    /// <summary>Frees the memory. Call only after <see cref="Unregister"/>, or once the ring that used it is closed.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Free();
        }
    }

    private void Free()
    {
        NativeMemory.AlignedFree(_ring);
        NativeMemory.AlignedFree(_data);
    }
}
