using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Tap.Ebpf;

/// <summary>
/// The value of the steering program's configuration map (<c>struct steering_config</c> in
/// <c>bpf/steering.bpf.c</c>): an <see cref="RssConfiguration"/> with its key expanded into per-byte tables.
/// </summary>
internal static class SteeringConfigurationImage
{
    /// <summary>Input positions with a table: the longest tuple (IPv6 addresses and ports).</summary>
    internal const int KeyPositions = 36;

    /// <summary>Indirection-table entries the program can index (a u16 mask).</summary>
    internal const int TableEntries = RssConfiguration.MaxIndirectionTableLength;

    internal const int ReportTableOffset = 32;
    internal const int TunnelPortsOffset = ReportTableOffset + 16;
    internal const int HeaderSize = TunnelPortsOffset + (4 * sizeof(ushort));
    internal const int KeyTableOffset = HeaderSize;
    internal const int IndirectionTableOffset = KeyTableOffset + (KeyPositions * 256 * sizeof(uint));

    /// <summary>The size of the map value.</summary>
    internal const int Size = IndirectionTableOffset + (TableEntries * sizeof(ushort));

    /// <summary><c>FLAG_RECORD_RESULT</c>: the program writes each decision into <c>last_result</c>.</summary>
    internal const uint RecordResultFlag = 1;

    /// <summary>Writes <paramref name="configuration"/> in the program's layout into <paramref name="value"/>.</summary>
    internal static void Write(RssConfiguration configuration, FrameKind frameKind, bool recordResults, Span<byte> value)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (value.Length != Size)
        {
            throw new ArgumentException($"The configuration value is {Size} bytes, got {value.Length}.", nameof(value));
        }

        value.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)configuration.Types);
        BinaryPrimitives.WriteUInt32LittleEndian(value[4..], (uint)configuration.Profile);
        BinaryPrimitives.WriteUInt32LittleEndian(value[8..], (uint)configuration.IndirectionTableMask);
        BinaryPrimitives.WriteUInt32LittleEndian(value[12..], configuration.UnclassifiedQueue);
        BinaryPrimitives.WriteUInt32LittleEndian(value[16..], recordResults ? RecordResultFlag : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(value[20..], (uint)configuration.Symmetric);
        BinaryPrimitives.WriteUInt32LittleEndian(value[24..], frameKind == FrameKind.IP ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(value[28..], (uint)configuration.TunnelTypes);

        WriteReportTable(configuration.Types, value.Slice(ReportTableOffset, 12));
        UdpTunnelPorts ports = configuration.TunnelPorts;
        Span<byte> tunnelPorts = value.Slice(TunnelPortsOffset, 4 * sizeof(ushort));
        BinaryPrimitives.WriteUInt16LittleEndian(tunnelPorts, ports.Vxlan);
        BinaryPrimitives.WriteUInt16LittleEndian(tunnelPorts[2..], ports.VxlanGpe);
        BinaryPrimitives.WriteUInt16LittleEndian(tunnelPorts[4..], ports.Geneve);
        BinaryPrimitives.WriteUInt16LittleEndian(tunnelPorts[6..], ports.GreUdp);

        // Key bits beyond the configured key count as zero; the configuration already guarantees the key covers
        // every tuple its enabled types can produce, so those positions never carry a real contribution.
        Span<byte> key = stackalloc byte[KeyPositions + ToeplitzKey.WindowBytes];
        key.Clear();
        ReadOnlySpan<byte> configured = configuration.Key;
        configured[..Math.Min(configured.Length, key.Length)].CopyTo(key);
        var prepared = new ToeplitzKey(key);
        Span<byte> one = stackalloc byte[1];
        Span<byte> keyTable = value.Slice(KeyTableOffset, KeyPositions * 256 * sizeof(uint));
        for (int position = 0; position < KeyPositions; position++)
        {
            for (int v = 0; v < 256; v++)
            {
                one[0] = (byte)v;
                BinaryPrimitives.WriteUInt32LittleEndian(keyTable[(((position * 256) + v) * sizeof(uint))..], prepared.Hash(one, position));
            }
        }

        ReadOnlySpan<ushort> table = configuration.IndirectionTable;
        Span<byte> entries = value[IndirectionTableOffset..];
        for (int i = 0; i < table.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(entries[(i * sizeof(ushort))..], table[i]);
        }
    }

    /// <summary>
    /// The hash type for each packet class, so the program chooses with one load: entry
    /// (IPv6 ? 6 : 0) + (extension headers ? 3 : 0) + (0 no usable L4, 1 TCP, 2 UDP). The precedence is the
    /// virtio specification's (5.1.6.4.3.1): the <c>_EX</c> chain first for IPv6 with extension headers, then TCP,
    /// UDP and addresses; the agreement tests check it against <see cref="PacketHasher.Classify"/> on every frame.
    /// </summary>
    private static void WriteReportTable(HashTypes types, Span<byte> table)
    {
        for (int v6 = 0; v6 < 2; v6++)
        {
            for (int ex = 0; ex < 2; ex++)
            {
                for (int l4 = 0; l4 < 3; l4++)
                {
                    table[(v6 * 6) + (ex * 3) + l4] = (byte)Choose(types, v6 == 1, ex == 1, l4 == 1, l4 == 2);
                }
            }
        }
    }

    private static HashReport Choose(HashTypes types, bool ipv6, bool extensions, bool tcp, bool udp)
    {
        bool Enabled(HashTypes type) => (types & type) != 0;
        if (!ipv6)
        {
            return tcp && Enabled(HashTypes.TcpV4) ? HashReport.TcpV4
                : udp && Enabled(HashTypes.UdpV4) ? HashReport.UdpV4
                : Enabled(HashTypes.IPv4) ? HashReport.IPv4
                : HashReport.None;
        }

        if (extensions)
        {
            if (tcp && Enabled(HashTypes.TcpV6Ex))
            {
                return HashReport.TcpV6Ex;
            }

            if (udp && Enabled(HashTypes.UdpV6Ex))
            {
                return HashReport.UdpV6Ex;
            }

            if (Enabled(HashTypes.IPv6Ex))
            {
                return HashReport.IPv6Ex;
            }
        }

        return tcp && Enabled(HashTypes.TcpV6) ? HashReport.TcpV6
            : udp && Enabled(HashTypes.UdpV6) ? HashReport.UdpV6
            : Enabled(HashTypes.IPv6) ? HashReport.IPv6
            : HashReport.None;
    }
}
