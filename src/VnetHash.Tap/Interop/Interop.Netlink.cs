using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>rtnetlink (<c>NETLINK_ROUTE</c>): the messages this layer sends to read a link's counters.</summary>
    internal static class Netlink
    {
        internal const int AF_NETLINK = 16;
        internal const int NETLINK_ROUTE = 0;

        internal const ushort NLMSG_ERROR = 2;
        internal const ushort NLMSG_DONE = 3;
        internal const ushort RTM_NEWLINK = 16;
        internal const ushort RTM_GETLINK = 18;
        internal const ushort NLM_F_REQUEST = 1;

        /// <summary><c>IFLA_STATS64</c>: <c>struct rtnl_link_stats64</c>.</summary>
        internal const ushort IFLA_STATS64 = 23;

        /// <summary><c>struct nlmsghdr</c> (16 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct MessageHeader
        {
            internal uint Length;
            internal ushort Type;
            internal ushort Flags;
            internal uint Sequence;
            internal uint PortId;
        }

        /// <summary><c>struct ifinfomsg</c> (16 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct InterfaceInfo
        {
            internal byte Family;
            internal byte Pad;
            internal ushort Type;
            internal int Index;
            internal uint Flags;
            internal uint Change;
        }

        /// <summary>An RTM_GETLINK request for one interface index.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct GetLinkRequest
        {
            internal MessageHeader Header;
            internal InterfaceInfo Info;
        }

        /// <summary><c>struct sockaddr_nl</c> (12 bytes); port 0 is the kernel.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Address
        {
            internal ushort Family;
            internal ushort Pad;
            internal uint PortId;
            internal uint Groups;
        }
    }
}
