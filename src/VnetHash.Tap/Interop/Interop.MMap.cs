using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x01;
        internal const int MAP_POPULATE = 0x8000;

        /// <summary><c>MAP_FAILED</c>.</summary>
        internal static readonly nint MapFailed = -1;

        /// <summary>mmap(2) of a file's pages (here an io_uring instance's rings). Returns the address, or <see cref="MapFailed"/> and errno.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, long offset);
    }
}
