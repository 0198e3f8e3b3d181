using VnetHash.Tap.Handles;

internal static partial class Interop
{
    /// <summary>
    /// The native calls with their error contract applied: EINTR is retried here and never reaches callers,
    /// and any other failure either becomes a <see cref="VnetHash.Tap.Errors.TapException"/> or is returned as an errno.
    /// </summary>
    internal static unsafe class Checked
    {
        /// <summary>Opens <paramref name="path"/> and owns the fd.</summary>
        internal static FileDescriptorHandle Open(string path, int flags)
        {
            int fd;
            do
            {
                fd = Sys.Open(path, flags);
            }
            while (fd < 0 && IoErrors.LastErrno == Errno.EINTR);

            if (fd < 0)
            {
                throw IoErrors.Create(IoErrors.LastErrno, "open", path);
            }

            return new FileDescriptorHandle(fd, ownsHandle: true);
        }

        /// <summary>Runs a pointer ioctl; returns 0 on success or the errno.</summary>
        /// <remarks>ioctl's argument is one machine word whether it carries a pointer or a value.</remarks>
        internal static int TryIoctl(FileDescriptorHandle fd, nuint request, void* argument) => TryIoctlValue(fd, request, (nuint)argument);

        /// <summary>Runs a by-value ioctl; returns 0 on success or the errno.</summary>
        internal static int TryIoctlValue(FileDescriptorHandle fd, nuint request, nuint argument)
        {
            bool added = false;
            try
            {
                fd.DangerousAddRef(ref added);
                int result;
                do
                {
                    result = Sys.Ioctl(fd.DangerousGetFd(), request, argument);
                }
                while (result < 0 && IoErrors.LastErrno == Errno.EINTR);

                return result < 0 ? IoErrors.LastErrno : 0;
            }
            finally
            {
                if (added)
                {
                    fd.DangerousRelease();
                }
            }
        }

        /// <summary>Runs a pointer ioctl and throws the mapped exception on failure.</summary>
        internal static void Ioctl(FileDescriptorHandle fd, nuint request, void* argument, string operation, string? subject)
        {
            int errno = TryIoctl(fd, request, argument);
            if (errno != 0)
            {
                throw IoErrors.Create(errno, operation, subject);
            }
        }

        /// <summary>Runs a by-value ioctl and throws the mapped exception on failure.</summary>
        internal static void IoctlValue(FileDescriptorHandle fd, nuint request, nuint argument, string operation, string? subject)
        {
            int errno = TryIoctlValue(fd, request, argument);
            if (errno != 0)
            {
                throw IoErrors.Create(errno, operation, subject);
            }
        }

        /// <summary>Creates a non-blocking, close-on-exec socket in the calling thread's network namespace.</summary>
        internal static FileDescriptorHandle Socket(int domain, int type, int protocol, string subject)
        {
            int fd = Sys.Socket(domain, type | Sys.SOCK_CLOEXEC, protocol);
            if (fd < 0)
            {
                throw IoErrors.Create(IoErrors.LastErrno, "socket", subject);
            }

            return new FileDescriptorHandle(fd, ownsHandle: true);
        }

        /// <summary>Creates a non-blocking eventfd used to wake a poll.</summary>
        internal static FileDescriptorHandle EventFd()
        {
            int fd = Sys.EventFd(0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
            if (fd < 0)
            {
                throw IoErrors.Create(IoErrors.LastErrno, "eventfd", null);
            }

            return new FileDescriptorHandle(fd, ownsHandle: true);
        }

        /// <summary>Adds 1 to an eventfd, waking every poll on it. A counter at its maximum (EAGAIN) is already signalled.</summary>
        internal static void Signal(FileDescriptorHandle eventFd)
        {
            bool added = false;
            try
            {
                eventFd.DangerousAddRef(ref added);
                ulong one = 1;
                nint written;
                do
                {
                    written = Sys.Write(eventFd.DangerousGetFd(), (byte*)&one, sizeof(ulong));
                }
                while (written < 0 && IoErrors.LastErrno == Errno.EINTR);
            }
            finally
            {
                if (added)
                {
                    eventFd.DangerousRelease();
                }
            }
        }
    }
}
