using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>sendto(2). Returns the byte count, or -1 and errno.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "sendto", SetLastError = true)]
        internal static unsafe partial nint SendTo(int fd, byte* buffer, nuint length, int flags, void* address, uint addressLength);
    }
}
