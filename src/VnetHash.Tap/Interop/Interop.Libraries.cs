internal static partial class Interop
{
    internal static partial class Libraries
    {
        /// <summary>The C library: every native call of the TAP layer goes through it, so no other native library is needed.</summary>
        internal const string Libc = "libc";
    }
}
