using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>
        /// ioctl(2). The argument is one machine word: a pointer for most TUN* and SIOC* requests, a value for
        /// TUNSETOFFLOAD and TUNSETPERSIST. Returns ≥ 0, or -1 and errno.
        /// </summary>
        /// <remarks>Requests are <c>nuint</c>: <c>_IOR</c> codes such as 0x800454e0 do not fit an int.</remarks>
        [LibraryImport(Libraries.Libc, EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int Ioctl(int fd, nuint request, nuint argument);
    }
}
