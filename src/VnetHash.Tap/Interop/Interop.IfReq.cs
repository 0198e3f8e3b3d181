using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>Longest interface name plus its terminating NUL (<c>IFNAMSIZ</c>).</summary>
        internal const int IFNAMSIZ = 16;

        /// <summary>
        /// <c>struct ifreq</c> on 64-bit Linux (40 bytes): the name, then a union that holds the flags (short @16),
        /// the index or MTU (int @16), a <c>sockaddr</c> whose data (the MAC) starts at @18, or a pointer
        /// (<c>ifr_data</c> @16, as <c>SIOCETHTOOL</c> takes its command).
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 40)]
        internal unsafe struct IfReq
        {
            [FieldOffset(0)]
            internal fixed byte Name[IFNAMSIZ];

            [FieldOffset(16)]
            internal short Flags;

            [FieldOffset(16)]
            internal int IntValue;

            [FieldOffset(16)]
            internal ushort AddressFamily;

            [FieldOffset(18)]
            internal fixed byte AddressData[14];

            [FieldOffset(16)]
            internal void* Data;
        }
    }
}
