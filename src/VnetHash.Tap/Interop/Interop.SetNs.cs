using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int CLONE_NEWNET = 0x40000000;

        /// <summary>setns(2): moves the calling thread (only that thread) into the namespace behind the fd. Returns 0, or -1 and errno.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "setns", SetLastError = true)]
        internal static partial int SetNs(int fd, int namespaceType);
    }
}
