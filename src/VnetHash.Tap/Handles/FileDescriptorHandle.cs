using System.Runtime.InteropServices;

namespace VnetHash.Tap.Handles;

/// <summary>
/// An owned Linux file descriptor: a tun queue, an eventfd, a socket, a BPF map or program, an io_uring instance.
/// Closing it is the only release; the finalizer closes one that was leaked.
/// </summary>
public sealed class FileDescriptorHandle : SafeHandle
{
    /// <summary>An invalid handle, for marshalling.</summary>
    public FileDescriptorHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Wraps <paramref name="fd"/>; the handle closes it when <paramref name="ownsHandle"/> is true.</summary>
    public FileDescriptorHandle(int fd, bool ownsHandle)
        : base(new IntPtr(-1), ownsHandle)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>
    /// The raw descriptor, for calls that take it by value (<c>TUNSETSTEERINGEBPF</c>, a bpf(2) attribute). Valid only
    /// while the handle is alive; callers that keep it across calls hold a reference with <see cref="SafeHandle.DangerousAddRef"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The descriptor was closed.</exception>
    public int DangerousGetFd()
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        return (int)handle.ToInt64();
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Sys.Close((int)handle.ToInt64()) == 0;
}
