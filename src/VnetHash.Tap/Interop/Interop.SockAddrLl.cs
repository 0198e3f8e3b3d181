using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary><c>struct sockaddr_ll</c> (20 bytes): an AF_PACKET address.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct SockAddrLl
        {
            internal ushort Family;
            /// <summary>EtherType in network byte order.</summary>
            internal ushort Protocol;
            internal int InterfaceIndex;
            internal ushort HardwareType;
            internal byte PacketType;
            internal byte AddressLength;
            internal fixed byte Address[8];
        }
    }
}
