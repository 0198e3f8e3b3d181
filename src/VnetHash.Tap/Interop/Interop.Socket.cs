using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int AF_INET = 2;
        internal const int AF_PACKET = 17;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_DGRAM = 2;
        internal const int SOCK_CLOEXEC = 0x80000;

        /// <summary>socket(2). Returns the fd, or -1 and errno. The socket belongs to the calling thread's network namespace.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "socket", SetLastError = true)]
        internal static partial int Socket(int domain, int type, int protocol);
    }
}
