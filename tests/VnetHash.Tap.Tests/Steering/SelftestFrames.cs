using VnetHash.Packets;
using VnetHash.Tap.Tests.Vectors;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>The L3 payloads of the series' <c>tun_vnet_rss</c> selftest (kernel-series.md §8.1).</summary>
internal static class SelftestFrames
{
    /// <summary>The bytes after the Ethernet header for a variant: IPv4 ttl 255, IPv6 hop limit 0, ports 9 → 9.</summary>
    public static byte[] Payload(SelftestVector vector)
    {
        if (vector.IPProtocol is null)
        {
            return [];
        }

        var builder = new FrameBuilder().Ethernet();
        builder = vector.EtherType == 0x0800
            ? builder.IPv4(vector.SourceIP!, vector.DestinationIP!, ttl: 255)
            : builder.IPv6(vector.SourceIP!, vector.DestinationIP!, hopLimit: 0);
        builder = vector.IPProtocol switch
        {
            6 => builder.Tcp(9, 9),
            17 => builder.Udp(9, 9),
            _ => builder.Payload([], vector.IPProtocol.Value),
        };
        return builder.Build()[14..];
    }
}
