using System.Runtime.InteropServices;
using VnetHash.Tap.Errors;

internal static partial class Interop
{
    /// <summary>The one place where errno becomes an exception, so every failure reads alike and keeps its errno.</summary>
    internal static class IoErrors
    {
        /// <summary>Reads errno of the last LibraryImport call made with SetLastError.</summary>
        internal static int LastErrno => Marshal.GetLastPInvokeError();

        /// <summary>Builds the exception for <paramref name="errno"/> returned by <paramref name="operation"/> on <paramref name="subject"/>.</summary>
        /// <param name="errno">The errno.</param>
        /// <param name="operation">The call or request name.</param>
        /// <param name="subject">What it was applied to (a device name, a path), or null.</param>
        /// <param name="capability">The capability a permission error points to.</param>
        internal static TapException Create(int errno, string operation, string? subject, string capability = "CAP_NET_ADMIN")
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
            string message = $"{operation}{on} failed: {meaning} (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)})";
            return new TapException(error, errno, operation, message);
        }

        /// <summary>The path of the tun/tap clone device.</summary>
        internal const string TunDevicePath = "/dev/net/tun";
    }
}
