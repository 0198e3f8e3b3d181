using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>if_nametoindex(3) in the calling thread's network namespace. Returns 0 and errno when there is no such interface.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial uint IfNameToIndex(string name);
    }
}
