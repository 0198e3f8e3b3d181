using System.Buffers.Binary;
using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Devices;

/// <summary>Reads the answer to an <c>RTM_GETLINK</c> request: the link's <c>IFLA_STATS64</c>, or the kernel's error.</summary>
internal static class LinkStatisticsReply
{
    private const int MessageHeaderSize = 16;
    private const int InterfaceInfoSize = 16;

    /// <summary>The counters in <paramref name="datagram"/>, or null when it holds no answer to <paramref name="sequence"/>.</summary>
    /// <exception cref="TapException">The kernel answered with an error (ENODEV once the device was deleted).</exception>
    internal static TapLinkStatistics? TryParse(ReadOnlySpan<byte> datagram, uint sequence, string subject)
    {
        while (datagram.Length >= MessageHeaderSize)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < MessageHeaderSize || length > datagram.Length)
            {
                return null;
            }

            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            uint messageSequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
            ReadOnlySpan<byte> payload = datagram[MessageHeaderSize..length];
            if (messageSequence == sequence)
            {
                if (type == Interop.Netlink.NLMSG_ERROR && payload.Length >= 4)
                {
                    int errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
                    throw Interop.IoErrors.Create(errno, "RTM_GETLINK", subject);
                }

                if (type == Interop.Netlink.RTM_NEWLINK && payload.Length >= InterfaceInfoSize && FindStatistics(payload[InterfaceInfoSize..]) is { } statistics)
                {
                    return statistics;
                }
            }

            datagram = datagram[Math.Min(datagram.Length, (length + 3) & ~3)..];
        }

        return null;
    }

    private static TapLinkStatistics? FindStatistics(ReadOnlySpan<byte> attributes)
    {
        while (attributes.Length >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]);
            if (length < 4 || length > attributes.Length)
            {
                return null;
            }

            // struct rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped, … (u64 each).
            if (type == Interop.Netlink.IFLA_STATS64 && length >= 4 + (8 * 8))
            {
                ReadOnlySpan<byte> s = attributes[4..];
                return new TapLinkStatistics(
                    TxPackets: Field(s, 1),
                    TxBytes: Field(s, 3),
                    TxDropped: Field(s, 7),
                    RxPackets: Field(s, 0),
                    RxBytes: Field(s, 2),
                    RxDropped: Field(s, 6));
            }

            attributes = attributes[Math.Min(attributes.Length, (length + 3) & ~3)..];
        }

        return null;
    }

    private static long Field(ReadOnlySpan<byte> statistics, int index) => (long)BinaryPrimitives.ReadUInt64LittleEndian(statistics[(index * 8)..]);
}
