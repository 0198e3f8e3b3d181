using System.Runtime.InteropServices;

namespace VnetHash.Tap.Ebpf;

/// <summary>
/// A file descriptor of a kernel BPF object (map or program). The object lives while some descriptor refers to
/// it: disposing this closes the descriptor, and the finalizer closes one that was leaked.
/// </summary>
public sealed class BpfFileDescriptor : SafeHandle
{
    internal BpfFileDescriptor(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number, for calls such as <c>TUNSETSTEERINGEBPF</c> that take it by value.</summary>
    /// <exception cref="ObjectDisposedException">The descriptor was closed.</exception>
    public int Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (int)handle.ToInt64();
        }
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Bpf.Close((int)handle.ToInt64()) == 0;
}
