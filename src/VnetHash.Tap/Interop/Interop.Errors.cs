internal static partial class Interop
{
    /// <summary>The errno values the TAP layer gives a meaning to (Linux numbering, the same on x86-64 and arm64).</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int EIO = 5;
        internal const int ENXIO = 6;
        internal const int E2BIG = 7;
        internal const int EBADF = 9;
        internal const int EAGAIN = 11;
        internal const int ENOMEM = 12;
        internal const int EACCES = 13;
        internal const int EFAULT = 14;
        internal const int EBUSY = 16;
        internal const int EEXIST = 17;
        internal const int ENODEV = 19;
        internal const int EINVAL = 22;
        internal const int EMFILE = 24;
        internal const int ENOTTY = 25;
        internal const int ENOSPC = 28;
        internal const int ERANGE = 34;
        internal const int ENOSYS = 38;
        internal const int EBADFD = 77;
        internal const int EOPNOTSUPP = 95;
        internal const int ENETDOWN = 100;
        internal const int ENOBUFS = 105;
        internal const int ECANCELED = 125;

        /// <summary>The symbolic name of an errno, for messages (<c>errno 1234</c> for one without a name here).</summary>
        internal static string Name(int errno) => errno switch
        {
            EPERM => "EPERM",
            ENOENT => "ENOENT",
            EINTR => "EINTR",
            EIO => "EIO",
            ENXIO => "ENXIO",
            E2BIG => "E2BIG",
            EBADF => "EBADF",
            EAGAIN => "EAGAIN",
            ENOMEM => "ENOMEM",
            EACCES => "EACCES",
            EFAULT => "EFAULT",
            EBUSY => "EBUSY",
            EEXIST => "EEXIST",
            ENODEV => "ENODEV",
            EINVAL => "EINVAL",
            EMFILE => "EMFILE",
            ENOTTY => "ENOTTY",
            ENOSPC => "ENOSPC",
            ERANGE => "ERANGE",
            ENOSYS => "ENOSYS",
            EBADFD => "EBADFD",
            EOPNOTSUPP => "EOPNOTSUPP",
            ENETDOWN => "ENETDOWN",
            ENOBUFS => "ENOBUFS",
            ECANCELED => "ECANCELED",
            _ => $"errno {errno}",
        };
    }
}
