using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using VnetHash.Hashing;

namespace VnetHash.VirtioNet;

/// <summary>
/// A virtio-net header (<c>virtio_net_hdr</c>, <c>virtio_net_hdr_mrg_rxbuf</c>, <c>virtio_net_hdr_v1_hash</c>,
/// <c>virtio_net_hdr_v1_hash_tunnel</c>): the metadata in front of every frame on a TUN/TAP device with a vnet header.
/// </summary>
/// <remarks>
/// The 16-bit fields follow the device's <see cref="VnetByteOrder"/>; <c>hash_value</c> (offset 12),
/// <c>hash_report</c> (16), the padding (18), <c>outer_th_offset</c> (20) and <c>inner_nh_offset</c> (22) are always
/// little-endian. A header of any configured size of at least <see cref="LegacySize"/> bytes can be read and written:
/// the fields that fit are used and, on write, everything else is zero, so a header shorter than
/// <see cref="HashSize"/> carries no hash and one shorter than <see cref="HashTunnelSize"/> no tunnel offsets.
/// </remarks>
public readonly struct VirtioNetHeader : IEquatable<VirtioNetHeader>
{
    /// <summary>The legacy <c>virtio_net_hdr</c>: bytes 0 to 9.</summary>
    public const int LegacySize = 10;

    /// <summary><c>virtio_net_hdr_mrg_rxbuf</c>, also the virtio 1.0 header: adds <c>num_buffers</c> at offset 10.</summary>
    public const int MergeableRxBufSize = 12;

    /// <summary><c>virtio_net_hdr_v1_hash</c>: adds <c>hash_value</c>, <c>hash_report</c> and padding.</summary>
    public const int HashSize = 20;

    /// <summary>
    /// <c>virtio_net_hdr_v1_hash_tunnel</c>: adds <c>outer_th_offset</c> and <c>inner_nh_offset</c>, used by UDP-tunnel
    /// segmentation (<c>VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO</c>, <c>_GUEST_UDP_TUNNEL_GSO</c>).
    /// </summary>
    public const int HashTunnelSize = 24;

    /// <summary>Offset of <c>hdr_len</c>.</summary>
    public const int HdrLenOffset = 2;

    /// <summary>Offset of <c>gso_size</c>.</summary>
    public const int GsoSizeOffset = 4;

    /// <summary>Offset of <c>csum_start</c>.</summary>
    public const int CsumStartOffset = 6;

    /// <summary>Offset of <c>csum_offset</c>.</summary>
    public const int CsumOffsetOffset = 8;

    /// <summary>Offset of <c>num_buffers</c>.</summary>
    public const int NumBuffersOffset = 10;

    /// <summary>Offset of the little-endian 32-bit <c>hash_value</c>.</summary>
    public const int HashValueOffset = 12;

    /// <summary>Offset of the little-endian 16-bit <c>hash_report</c>.</summary>
    public const int HashReportOffset = 16;

    /// <summary>Offset of the 16-bit padding, written as zero.</summary>
    public const int PaddingOffset = 18;

    /// <summary>Offset of the little-endian 16-bit <c>outer_th_offset</c>.</summary>
    public const int OuterThOffsetOffset = 20;

    /// <summary>Offset of the little-endian 16-bit <c>inner_nh_offset</c>.</summary>
    public const int InnerNhOffsetOffset = 22;

    /// <summary>Creates a header from its fields.</summary>
    public VirtioNetHeader(
        VirtioNetHeaderFlags flags = VirtioNetHeaderFlags.None,
        VirtioNetGsoType gsoType = VirtioNetGsoType.None,
        ushort hdrLen = 0,
        ushort gsoSize = 0,
        ushort csumStart = 0,
        ushort csumOffset = 0,
        ushort numBuffers = 0,
        uint hashValue = 0,
        HashReport hashReport = HashReport.None,
        ushort outerThOffset = 0,
        ushort innerNhOffset = 0)
    {
        Flags = flags;
        GsoType = gsoType;
        HdrLen = hdrLen;
        GsoSize = gsoSize;
        CsumStart = csumStart;
        CsumOffset = csumOffset;
        NumBuffers = numBuffers;
        HashValue = hashValue;
        HashReport = hashReport;
        OuterThOffset = outerThOffset;
        InnerNhOffset = innerNhOffset;
    }

    /// <summary><c>flags</c> (offset 0).</summary>
    public VirtioNetHeaderFlags Flags { get; init; }

    /// <summary><c>gso_type</c> (offset 1).</summary>
    public VirtioNetGsoType GsoType { get; init; }

    /// <summary><c>hdr_len</c> (offset 2): length of the headers to copy linearly, a hint.</summary>
    public ushort HdrLen { get; init; }

    /// <summary><c>gso_size</c> (offset 4): the segment payload size of a GSO packet.</summary>
    public ushort GsoSize { get; init; }

    /// <summary><c>csum_start</c> (offset 6): where checksumming starts, from the frame's first byte.</summary>
    public ushort CsumStart { get; init; }

    /// <summary><c>csum_offset</c> (offset 8): where the checksum goes, from <see cref="CsumStart"/>.</summary>
    public ushort CsumOffset { get; init; }

    /// <summary><c>num_buffers</c> (offset 10); present from <see cref="MergeableRxBufSize"/> bytes on.</summary>
    public ushort NumBuffers { get; init; }

    /// <summary><c>hash_value</c> (offset 12, little-endian); present from <see cref="HashSize"/> bytes on.</summary>
    public uint HashValue { get; init; }

    /// <summary><c>hash_report</c> (offset 16, little-endian); present from <see cref="HashSize"/> bytes on.</summary>
    public HashReport HashReport { get; init; }

    /// <summary>
    /// <c>outer_th_offset</c> (offset 20, little-endian): where the outer UDP header of a UDP-tunnel GSO packet starts;
    /// present from <see cref="HashTunnelSize"/> bytes on.
    /// </summary>
    public ushort OuterThOffset { get; init; }

    /// <summary>
    /// <c>inner_nh_offset</c> (offset 22, little-endian): where the inner network header of a UDP-tunnel GSO packet
    /// starts; present from <see cref="HashTunnelSize"/> bytes on.
    /// </summary>
    public ushort InnerNhOffset { get; init; }

    /// <summary>The hash fields as a <see cref="HashResult"/>.</summary>
    public HashResult Hash => new(HashValue, HashReport);

    /// <summary>
    /// The header length a virtio-net device uses for a negotiated feature set, as vhost-net chooses it:
    /// 20 with <see cref="VirtioNetFeatures.HashReport"/>, else 12 with <see cref="VirtioNetFeatures.MrgRxBuf"/>
    /// or <see cref="VirtioNetFeatures.Version1"/>, else 10.
    /// </summary>
    /// <exception cref="VirtioNetHeaderException">
    /// <see cref="VirtioNetHeaderError.HashReportRequiresVersion1"/>: hash reporting without virtio 1.0.
    /// </exception>
    public static int LengthFor(VirtioNetFeatures features)
    {
        if ((features & VirtioNetFeatures.HashReport) != 0)
        {
            if ((features & VirtioNetFeatures.Version1) == 0)
            {
                throw new VirtioNetHeaderException(
                    VirtioNetHeaderError.HashReportRequiresVersion1,
                    "VIRTIO_NET_F_HASH_REPORT (57) is negotiated without VIRTIO_F_VERSION_1 (32)");
            }

            return HashSize;
        }

        return (features & (VirtioNetFeatures.MrgRxBuf | VirtioNetFeatures.Version1)) != 0 ? MergeableRxBufSize : LegacySize;
    }

    /// <summary>
    /// As <see cref="LengthFor(VirtioNetFeatures)"/>, with the feature bits from 64 on: 24 bytes when
    /// <see cref="VirtioNetHighFeatures.HostUdpTunnelGso"/> or <see cref="VirtioNetHighFeatures.GuestUdpTunnelGso"/> is
    /// negotiated (the header then reaches <c>inner_nh_offset</c>, hash fields included whether reported or not).
    /// </summary>
    /// <exception cref="VirtioNetHeaderException">
    /// <see cref="VirtioNetHeaderError.HashReportRequiresVersion1"/>: hash reporting without virtio 1.0.
    /// </exception>
    public static int LengthFor(VirtioNetFeatures features, VirtioNetHighFeatures highFeatures)
    {
        int length = LengthFor(features);
        bool tunnel = (highFeatures & (VirtioNetHighFeatures.HostUdpTunnelGso | VirtioNetHighFeatures.GuestUdpTunnelGso)) != 0;
        return tunnel ? HashTunnelSize : length;
    }

    /// <summary>
    /// Reads a header of <paramref name="source"/>'s length (at least <see cref="LegacySize"/>): fields that
    /// do not fit read as zero, bytes past <see cref="HashTunnelSize"/> are ignored.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than <see cref="LegacySize"/>.</exception>
    public static VirtioNetHeader ReadFrom(ReadOnlySpan<byte> source, VnetByteOrder byteOrder)
    {
        if (source.Length < LegacySize)
        {
            throw new ArgumentException($"A vnet header has at least {LegacySize} bytes, got {source.Length}.", nameof(source));
        }

        uint hashValue = 0;
        var hashReport = HashReport.None;
        if (source.Length >= HashSize)
        {
            hashValue = BinaryPrimitives.ReadUInt32LittleEndian(source[HashValueOffset..]);
            hashReport = (HashReport)BinaryPrimitives.ReadUInt16LittleEndian(source[HashReportOffset..]);
        }

        ushort numBuffers = source.Length >= MergeableRxBufSize ? ReadVirtio16(source, NumBuffersOffset, byteOrder) : (ushort)0;
        bool tunnel = source.Length >= HashTunnelSize;

        return new VirtioNetHeader(
            (VirtioNetHeaderFlags)source[0],
            (VirtioNetGsoType)source[1],
            ReadVirtio16(source, HdrLenOffset, byteOrder),
            ReadVirtio16(source, GsoSizeOffset, byteOrder),
            ReadVirtio16(source, CsumStartOffset, byteOrder),
            ReadVirtio16(source, CsumOffsetOffset, byteOrder),
            numBuffers,
            hashValue,
            hashReport,
            tunnel ? BinaryPrimitives.ReadUInt16LittleEndian(source[OuterThOffsetOffset..]) : (ushort)0,
            tunnel ? BinaryPrimitives.ReadUInt16LittleEndian(source[InnerNhOffsetOffset..]) : (ushort)0);
    }

    /// <summary>
    /// Writes the header over all of <paramref name="destination"/> (the configured header size, at least
    /// <see cref="LegacySize"/>): the fields that fit, zeros everywhere else. Below <see cref="HashTunnelSize"/> bytes
    /// no tunnel offset is written, below <see cref="HashSize"/> no hash field, below <see cref="MergeableRxBufSize"/>
    /// no <c>num_buffers</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="LegacySize"/>.</exception>
    public void WriteTo(Span<byte> destination, VnetByteOrder byteOrder)
    {
        if (destination.Length < LegacySize)
        {
            throw new ArgumentException($"A vnet header has at least {LegacySize} bytes, got {destination.Length}.", nameof(destination));
        }

        if (destination.Length >= HashTunnelSize)
        {
            destination[HashTunnelSize..].Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(destination[InnerNhOffsetOffset..], InnerNhOffset);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[OuterThOffsetOffset..], OuterThOffset);
            WriteHashFields(destination, HashValue, HashReport);
        }
        else if (destination.Length >= HashSize)
        {
            destination[HashSize..].Clear();
            WriteHashFields(destination, HashValue, HashReport);
        }
        else
        {
            destination[LegacySize..].Clear();
        }

        if (destination.Length >= MergeableRxBufSize)
        {
            WriteVirtio16(destination, NumBuffersOffset, NumBuffers, byteOrder);
        }

        WriteVirtio16(destination, CsumOffsetOffset, CsumOffset, byteOrder);
        WriteVirtio16(destination, CsumStartOffset, CsumStart, byteOrder);
        WriteVirtio16(destination, GsoSizeOffset, GsoSize, byteOrder);
        WriteVirtio16(destination, HdrLenOffset, HdrLen, byteOrder);
        destination[1] = (byte)GsoType;
        destination[0] = (byte)Flags;
    }

    /// <summary>
    /// Writes only <c>hash_value</c>, <c>hash_report</c> and a zero padding into an existing header of at
    /// least <see cref="HashSize"/> bytes, leaving every other byte alone. Allocation-free; meant per packet.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="header"/> is shorter than <see cref="HashSize"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteHashReport(Span<byte> header, HashResult hash)
    {
        if (header.Length < HashSize)
        {
            ThrowHeaderTooShortForHash(header.Length, nameof(header));
        }

        WriteHashFields(header, hash.Value, hash.Report);
    }

    /// <summary>
    /// As <see cref="WriteHashReport"/>, but a header shorter than <see cref="HashSize"/> is left untouched and
    /// the result is <see langword="false"/>, as the kernel skips the hash for a small vnet header.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteHashReport(Span<byte> header, HashResult hash)
    {
        if (header.Length < HashSize)
        {
            return false;
        }

        WriteHashFields(header, hash.Value, hash.Report);
        return true;
    }

    /// <summary>Reads <c>hash_value</c> and <c>hash_report</c>; <see cref="HashResult.None"/> for a header shorter than <see cref="HashSize"/>.</summary>
    public static HashResult ReadHashReport(ReadOnlySpan<byte> header)
    {
        if (header.Length < HashSize)
        {
            return HashResult.None;
        }

        return new HashResult(
            BinaryPrimitives.ReadUInt32LittleEndian(header[HashValueOffset..]),
            (HashReport)BinaryPrimitives.ReadUInt16LittleEndian(header[HashReportOffset..]));
    }

    /// <summary>A copy with other hash fields.</summary>
    public VirtioNetHeader WithHash(HashResult hash) => this with { HashValue = hash.Value, HashReport = hash.Report };

    /// <inheritdoc/>
    public bool Equals(VirtioNetHeader other) =>
        Flags == other.Flags && GsoType == other.GsoType && HdrLen == other.HdrLen && GsoSize == other.GsoSize &&
        CsumStart == other.CsumStart && CsumOffset == other.CsumOffset && NumBuffers == other.NumBuffers &&
        HashValue == other.HashValue && HashReport == other.HashReport && OuterThOffset == other.OuterThOffset && InnerNhOffset == other.InnerNhOffset;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VirtioNetHeader other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Flags, GsoType, HdrLen, GsoSize, CsumStart, CsumOffset, NumBuffers, HashCode.Combine(HashValue, HashReport, OuterThOffset, InnerNhOffset));

    /// <summary>Whether two headers have equal fields.</summary>
    public static bool operator ==(VirtioNetHeader left, VirtioNetHeader right) => left.Equals(right);

    /// <summary>Whether two headers differ in a field.</summary>
    public static bool operator !=(VirtioNetHeader left, VirtioNetHeader right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() =>
        $"flags={Flags} gso={GsoType} hdr_len={HdrLen} gso_size={GsoSize} csum_start={CsumStart} csum_offset={CsumOffset} " +
        $"num_buffers={NumBuffers} hash={HashValue:x8} report={HashReport} outer_th_offset={OuterThOffset} inner_nh_offset={InnerNhOffset}";

    /// <summary>Reads a <c>virtio16</c> field in the device's byte order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort ReadVirtio16(ReadOnlySpan<byte> header, int offset, VnetByteOrder byteOrder)
    {
        Debug.Assert(offset + 2 <= header.Length);
        return IsBigEndian(byteOrder)
            ? BinaryPrimitives.ReadUInt16BigEndian(header[offset..])
            : BinaryPrimitives.ReadUInt16LittleEndian(header[offset..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteVirtio16(Span<byte> header, int offset, ushort value, VnetByteOrder byteOrder)
    {
        if (IsBigEndian(byteOrder))
        {
            BinaryPrimitives.WriteUInt16BigEndian(header[offset..], value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[offset..], value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBigEndian(VnetByteOrder byteOrder) =>
        byteOrder == VnetByteOrder.BigEndian || (byteOrder == VnetByteOrder.Native && !BitConverter.IsLittleEndian);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHashFields(Span<byte> header, uint value, HashReport report)
    {
        // hash_report and the zero padding are one little-endian dword: two plain stores on the frame path. Highest
        // offset first, so a short span fails before anything is written.
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(HashReportOffset, PaddingOffset + 2 - HashReportOffset), (ushort)report);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(HashValueOffset, HashReportOffset - HashValueOffset), value);
    }

    private static void ThrowHeaderTooShortForHash(int length, string paramName) =>
        throw new ArgumentException($"The hash fields need a vnet header of at least {HashSize} bytes, got {length}.", paramName);
}
