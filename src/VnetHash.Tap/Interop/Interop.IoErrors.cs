using System.Runtime.InteropServices;
using VnetHash.Tap.Errors;

internal static partial class Interop
{
    /// <summary>
    /// The one place where errno becomes an error: its class (<see cref="TapError"/>) and a message that names the call,
    /// the object, the meaning and what to do, and keeps the errno. Device calls get a <see cref="TapException"/>; the
    /// bpf(2) loader wraps the same message in its own exception.
    /// </summary>
    internal static class IoErrors
    {
        /// <summary>The path of the tun/tap clone device.</summary>
        internal const string TunDevicePath = "/dev/net/tun";

        /// <summary>Reads errno of the last LibraryImport call made with SetLastError.</summary>
        internal static int LastErrno => Marshal.GetLastPInvokeError();

        /// <summary>Builds the exception for <paramref name="errno"/> returned by <paramref name="operation"/> on <paramref name="subject"/>.</summary>
        /// <param name="errno">The errno.</param>
        /// <param name="operation">The call or request name.</param>
        /// <param name="subject">What it was applied to (a device name, a path), or null.</param>
        /// <param name="capability">The capability a permission error points to.</param>
        internal static TapException Create(int errno, string operation, string? subject, string capability = "CAP_NET_ADMIN")
        {
            (TapError error, string message) = Describe(errno, operation, subject, capability);
            return new TapException(error, errno, operation, message);
        }

        /// <summary>The class of <paramref name="errno"/> and the whole message, as <see cref="Create"/> words it.</summary>
        internal static (TapError Error, string Message) Describe(int errno, string operation, string? subject, string capability)
        {
            (TapError error, string meaning) = errno switch
            {
                Errno.EPERM or Errno.EACCES => (TapError.PermissionDenied, $"permission denied: this needs {capability} (run as root or grant the capability)"),
                Errno.ENOENT when subject == TunDevicePath => (TapError.NotFound, $"{TunDevicePath} does not exist: load the tun module (modprobe tun) or create the node (mknod {TunDevicePath} c 10 200)"),
                Errno.ENOENT => (TapError.NotFound, "no such file or object"),
                Errno.EBADFD => (TapError.DeviceGone, "the device is gone (its link was deleted) or this fd was never attached to a device"),
                Errno.ENODEV or Errno.ENXIO => (TapError.DeviceGone, "no such device"),
                Errno.EIO => (TapError.DeviceGone, "I/O error: the device was deleted or the queue detached"),
                Errno.ENOTTY or Errno.EOPNOTSUPP or Errno.ENOSYS => (TapError.NotSupported, "the kernel does not support this request"),
                Errno.EINVAL => (TapError.InvalidArgument, "the kernel rejected the argument, or does not know the request"),
                Errno.EBUSY => (TapError.Busy, "the device or resource is busy (an existing device with other flags, or features that exclude each other)"),
                Errno.EEXIST => (TapError.Busy, "it already exists"),
                Errno.ENOMEM or Errno.ENOBUFS or Errno.EMFILE or Errno.ENOSPC => (TapError.ResourceExhausted, "out of memory, buffers or file descriptors"),
                Errno.ENETDOWN => (TapError.Other, "the link is down: bring the interface up first"),
                _ => (TapError.Other, "unexpected error"),
            };
            string on = subject is null ? string.Empty : $" on {subject}";
            return (error, $"{operation}{on} failed: {meaning} ({Errno.Name(errno)}, errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)})");
        }
    }
}
