using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>One element of a scatter/gather list (<c>struct iovec</c>).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct IoVec
        {
            internal byte* Base;
            internal nuint Length;
        }

        /// <summary>writev(2): header and frame in one call, so a tun fd sees one packet. Returns the byte count, or -1 and errno.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "writev", SetLastError = true)]
        internal static unsafe partial nint WriteV(int fd, IoVec* vectors, int count);
    }
}
