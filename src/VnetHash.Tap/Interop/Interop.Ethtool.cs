using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary><c>SIOCETHTOOL</c>: an ethtool command on an interface, through <c>ifr_data</c>.</summary>
        internal const uint SIOCETHTOOL = 0x8946;

        /// <summary><c>ETHTOOL_GRXFH</c>: the fields one flow type hashes (<c>struct ethtool_rxnfc</c>).</summary>
        internal const uint ETHTOOL_GRXFH = 0x29;

        /// <summary><c>ETHTOOL_GRXRINGS</c>: the number of RX rings (<c>struct ethtool_rxnfc</c>).</summary>
        internal const uint ETHTOOL_GRXRINGS = 0x2d;

        /// <summary><c>ETHTOOL_GRSSH</c>: indirection table, key, hash function and input transformation (<c>struct ethtool_rxfh</c>).</summary>
        internal const uint ETHTOOL_GRSSH = 0x46;

        /// <summary>
        /// <c>struct ethtool_rxnfc</c> as far as <c>ETHTOOL_GRXFH</c> and <c>ETHTOOL_GRXRINGS</c> use it (the kernel copies
        /// only cmd, flow_type and data for GRXFH, the layout the command was first defined with).
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct EthtoolRxnfc
        {
            internal uint Command;
            internal uint FlowType;
            internal ulong Data;

            // The rest of the kernel structure (flow spec, rule count), so a kernel that copies it all stays inside.
            internal unsafe fixed byte Rest[240];
        }

        /// <summary><c>struct ethtool_rxfh</c>'s fixed part; <c>rss_config</c> (the u32 table, then the key) follows it.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct EthtoolRxfh
        {
            internal uint Command;
            internal uint RssContext;
            internal uint IndirectionSize;
            internal uint KeySize;
            internal byte HashFunction;
            internal byte InputTransform;
            internal ushort Reserved8;
            internal uint Reserved32;
        }
    }
}
