using System.Runtime.InteropServices;

namespace VnetHash.Tap.Handles;

/// <summary>An owned Linux file descriptor (queue fd, eventfd, socket); closing it is the only release.</summary>
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

    /// <summary>The raw descriptor. Valid only while the handle is alive; callers that keep it across calls hold a reference with <see cref="SafeHandle.DangerousAddRef"/>.</summary>
    public int DangerousGetFd() => (int)handle.ToInt64();

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Sys.Close((int)handle.ToInt64()) == 0;
}
