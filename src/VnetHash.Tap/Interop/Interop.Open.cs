using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int O_RDWR = 0x2;
        internal const int O_RDONLY = 0x0;
        internal const int O_NONBLOCK = 0x800;
        internal const int O_CLOEXEC = 0x80000;

        /// <summary>open(2) without O_CREAT, so no mode argument. Returns the fd, or -1 and errno.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int Open(string path, int flags);
    }
}
