using CsCheck;
using VnetHash.Packets;
using VnetHash.Traffic;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary>The write-path rules of kernel-series §6.3 (steps 2, 5, 6, 9 and 10), one test per named error.</summary>
public class VirtioNetWriteValidatorTests
{
    private static readonly byte[] TcpV4Ethernet = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 80).Payload(new byte[100]).Build();
    private static readonly byte[] UdpV4Ethernet = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Udp(1000, 53).Payload(new byte[100]).Build();
    private static readonly byte[] TcpV6Ethernet = new FrameBuilder().Ethernet().IPv6("fd00::1", "fd00::2").Tcp(1000, 80).Payload(new byte[100]).Build();
    private static readonly byte[] TcpV4IP = new FrameBuilder().IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 80).Payload(new byte[100]).Build();
    private static readonly byte[] TcpV6IP = new FrameBuilder().IPv6("fd00::1", "fd00::2").Tcp(1000, 80).Payload(new byte[100]).Build();
    private static readonly byte[] UdpV6IP = new FrameBuilder().IPv6("fd00::1", "fd00::2").Udp(1000, 53).Payload(new byte[100]).Build();

    private static byte[] Write(VirtioNetHeader header, byte[] frame, int headerSize = 12, VnetByteOrder order = VnetByteOrder.LittleEndian)
    {
        var buffer = new byte[headerSize + frame.Length];
        header.WriteTo(buffer.AsSpan(0, headerSize), order);
        frame.CopyTo(buffer, headerSize);
        return buffer;
    }

    private static VirtioNetHeaderError ErrorOf(VirtioNetHeader header, byte[] frame, FrameKind kind = FrameKind.Ethernet, int headerSize = 12)
    {
        bool ok = VirtioNetWriteValidator.TryValidate(Write(header, frame, headerSize), headerSize, VnetByteOrder.LittleEndian, kind, out var error);
        Assert.Equal(ok, error == VirtioNetHeaderError.None);
        return error;
    }

    private static VirtioNetHeader TcpCsum(ushort start = 34, ushort offset = 16) =>
        new(VirtioNetHeaderFlags.NeedsCsum, csumStart: start, csumOffset: offset);

    [Fact]
    public void Plain_frames_pass_on_tap_and_tun()
    {
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(default, TcpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(default, TcpV4IP, FrameKind.IP));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(default, TcpV4Ethernet, headerSize: 20));
    }

    [Fact]
    public void Header_size_below_10_is_refused_as_TUNSETVNETHDRSZ_does()
    {
        Assert.False(VirtioNetWriteValidator.TryValidate(new byte[64], 9, VnetByteOrder.LittleEndian, FrameKind.Ethernet, out var error));
        Assert.Equal(VirtioNetHeaderError.HeaderSizeTooSmall, error);
    }

    [Fact]
    public void Step2_buffer_shorter_than_the_header_size_is_ShortBuffer()
    {
        Assert.False(VirtioNetWriteValidator.TryValidate(new byte[19], 20, VnetByteOrder.LittleEndian, FrameKind.IP, out var error));
        Assert.Equal(VirtioNetHeaderError.ShortBuffer, error);
    }

    [Fact]
    public void Step5_NEEDS_CSUM_raises_hdr_len_to_cover_the_checksum_field()
    {
        var header = TcpCsum() with { HdrLen = 20 };
        var used = VirtioNetWriteValidator.Validate(Write(header, TcpV4Ethernet), 12, VnetByteOrder.LittleEndian, FrameKind.Ethernet);
        Assert.Equal(34 + 16 + 2, used.HdrLen);

        var larger = TcpCsum() with { HdrLen = 60 };
        Assert.Equal(60, VirtioNetWriteValidator.Validate(Write(larger, TcpV4Ethernet), 12, VnetByteOrder.LittleEndian, FrameKind.Ethernet).HdrLen);
    }

    [Fact]
    public void Step5_adjusted_hdr_len_wraps_at_16_bits_and_the_checksum_rule_still_catches_it()
    {
        // 0xFFFF + 0xFFFF + 2 stored in the u16 field is 0: step 6 passes, step 10 refuses the checksum.
        var header = TcpCsum(0xFFFF, 0xFFFF);
        Assert.Equal(VirtioNetHeaderError.ChecksumOutsidePacket, ErrorOf(header, TcpV4Ethernet));
    }

    [Fact]
    public void Step6_hdr_len_past_the_bytes_after_the_legacy_header_is_HdrLenBeyondData()
    {
        // With a 12-byte header, 2 + frame length bytes follow the 10-byte legacy header.
        int after = 2 + TcpV4Ethernet.Length;
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(hdrLen: (ushort)after), TcpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.HdrLenBeyondData, ErrorOf(new VirtioNetHeader(hdrLen: (ushort)(after + 1)), TcpV4Ethernet));
    }

    [Fact]
    public void Step6_checks_the_adjusted_hdr_len()
    {
        var header = TcpCsum(start: (ushort)(TcpV4Ethernet.Length + 1), offset: 0);
        Assert.Equal(VirtioNetHeaderError.HdrLenBeyondData, ErrorOf(header, TcpV4Ethernet));
    }

    [Fact]
    public void Step9_tap_frame_shorter_than_14_bytes_is_refused_but_a_tun_packet_is_not()
    {
        Assert.Equal(VirtioNetHeaderError.FrameShorterThanEthernetHeader, ErrorOf(default, new byte[13]));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(default, new byte[13], FrameKind.IP));
    }

    [Theory]
    [InlineData(0, VirtioNetHeaderError.None)]
    [InlineData(1, VirtioNetHeaderError.HdrLenInsideEthernetHeader)]
    [InlineData(13, VirtioNetHeaderError.HdrLenInsideEthernetHeader)]
    [InlineData(14, VirtioNetHeaderError.None)]
    public void Step9_tap_hdr_len_must_be_0_or_cover_the_Ethernet_header(int hdrLen, VirtioNetHeaderError expected)
    {
        Assert.Equal(expected, ErrorOf(new VirtioNetHeader(hdrLen: (ushort)hdrLen), TcpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(hdrLen: (ushort)hdrLen), TcpV4IP, FrameKind.IP));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0x82)]
    public void Step10_gso_type_other_than_TCPv4_UDP_TCPv6_UDP_L4_is_UnknownGsoType(int gsoType)
    {
        var header = TcpCsum() with { GsoType = (VirtioNetGsoType)gsoType, GsoSize = 1000 };
        Assert.Equal(VirtioNetHeaderError.UnknownGsoType, ErrorOf(header, TcpV4Ethernet));
    }

    [Fact]
    public void Step10_GSO_with_gso_size_0_is_GsoSizeZero()
    {
        var header = TcpCsum() with { GsoType = VirtioNetGsoType.TcpV4, GsoSize = 0 };
        Assert.Equal(VirtioNetHeaderError.GsoSizeZero, ErrorOf(header, TcpV4Ethernet));
    }

    [Fact]
    public void Step10_GSO_with_gso_size_0xFFFF_is_GsoSizeByFrags()
    {
        var header = TcpCsum() with { GsoType = VirtioNetGsoType.TcpV4, GsoSize = 0xFFFF };
        Assert.Equal(VirtioNetHeaderError.GsoSizeByFrags, ErrorOf(header, TcpV4Ethernet));
    }

    [Fact]
    public void Step10_TCP_GSO_with_a_valid_partial_checksum_passes()
    {
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(TcpCsum() with { GsoType = VirtioNetGsoType.TcpV4, GsoSize = 1448 }, TcpV4Ethernet));
        var ecn = TcpCsum() with { GsoType = VirtioNetGsoType.TcpV4 | VirtioNetGsoType.Ecn, GsoSize = 1448 };
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(ecn, TcpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(TcpCsum(40) with { GsoType = VirtioNetGsoType.TcpV6, GsoSize = 1448 }, TcpV6IP, FrameKind.IP));
    }

    [Fact]
    public void Step10_checksum_field_past_the_packet_is_ChecksumOutsidePacket()
    {
        Assert.Equal(VirtioNetHeaderError.ChecksumOutsidePacket, ErrorOf(TcpCsum(34, 16), TcpV4Ethernet[..51]));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(TcpCsum(34, 16), TcpV4Ethernet[..54]));
    }

    [Fact]
    public void Step10_GSO_checksum_must_also_cover_the_transport_header()
    {
        // start + max(thlen, csum_offset + 2): a TCP header of 20 bytes from 34 needs 54 bytes.
        var header = TcpCsum(34, 16) with { GsoType = VirtioNetGsoType.TcpV4, GsoSize = 100 };
        Assert.Equal(VirtioNetHeaderError.ChecksumOutsidePacket, ErrorOf(header, TcpV4Ethernet[..53]));
    }

    [Fact]
    public void Step10_transport_offset_below_20_is_TransportOffsetTooSmall()
    {
        Assert.Equal(VirtioNetHeaderError.TransportOffsetTooSmall, ErrorOf(TcpCsum(19, 16), TcpV4IP, FrameKind.IP));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(TcpCsum(20, 16), TcpV4IP, FrameKind.IP));
    }

    [Fact]
    public void Step10_TCPv6_GSO_transport_offset_below_40_is_TransportOffsetTooSmall()
    {
        var header = TcpCsum(39, 16) with { GsoType = VirtioNetGsoType.TcpV6, GsoSize = 1000 };
        Assert.Equal(VirtioNetHeaderError.TransportOffsetTooSmall, ErrorOf(header, TcpV6IP, FrameKind.IP));
    }

    [Fact]
    public void Step10_GSO_without_NEEDS_CSUM_passes_when_the_protocols_match()
    {
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4, gsoSize: 50), TcpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV6, gsoSize: 50), TcpV6Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4, gsoSize: 50), TcpV4IP, FrameKind.IP));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.Udp, gsoSize: 50), UdpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.Udp, gsoSize: 50), UdpV6IP, FrameKind.IP));
    }

    [Fact]
    public void Step10_GSO_without_NEEDS_CSUM_of_another_protocol_is_GsoProtocolMismatch()
    {
        Assert.Equal(VirtioNetHeaderError.GsoProtocolMismatch, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4, gsoSize: 50), TcpV6Ethernet));
        Assert.Equal(VirtioNetHeaderError.GsoProtocolMismatch, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV6, gsoSize: 50), TcpV4IP, FrameKind.IP));
        Assert.Equal(VirtioNetHeaderError.GsoProtocolMismatch, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4, gsoSize: 50), UdpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.GsoProtocolMismatch, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.Udp, gsoSize: 50), TcpV4Ethernet));

        byte[] arp = (byte[])TcpV4Ethernet.Clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        Assert.Equal(VirtioNetHeaderError.GsoProtocolMismatch, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4, gsoSize: 50), arp));
    }

    [Fact]
    public void Step10_GSO_without_NEEDS_CSUM_cut_inside_its_headers_is_GsoHeadersTruncated()
    {
        var header = new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4, gsoSize: 50);
        Assert.Equal(VirtioNetHeaderError.GsoHeadersTruncated, ErrorOf(header, TcpV4Ethernet[..53]));
        Assert.Equal(VirtioNetHeaderError.GsoHeadersTruncated, ErrorOf(header, TcpV4Ethernet[..30]));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(header, TcpV4Ethernet[..54]));
    }

    [Fact]
    public void Step10_USO_without_NEEDS_CSUM_is_UsoRequiresChecksum()
    {
        Assert.Equal(VirtioNetHeaderError.UsoRequiresChecksum, ErrorOf(new VirtioNetHeader(gsoType: VirtioNetGsoType.UdpL4, gsoSize: 50), UdpV4Ethernet));
    }

    [Fact]
    public void Step10_USO_csum_offset_must_be_6()
    {
        var header = TcpCsum(34, 16) with { GsoType = VirtioNetGsoType.UdpL4, GsoSize = 50 };
        Assert.Equal(VirtioNetHeaderError.UsoChecksumOffset, ErrorOf(header, UdpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(header with { CsumOffset = 6 }, UdpV4Ethernet));
    }

    [Fact]
    public void Step10_USO_payload_over_64_segments_is_UsoTooManySegments()
    {
        // 100 payload bytes after the UDP header at 34 + 8: 64 segments of 1 byte are too few, of 2 enough.
        var header = TcpCsum(34, 6) with { GsoType = VirtioNetGsoType.UdpL4, GsoSize = 1 };
        Assert.Equal(VirtioNetHeaderError.UsoTooManySegments, ErrorOf(header, UdpV4Ethernet));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(header with { GsoSize = 2 }, UdpV4Ethernet));
    }

    [Fact]
    public void Step10_USO_with_the_ECN_bit_is_UsoWithEcn()
    {
        var header = TcpCsum(34, 6) with { GsoType = VirtioNetGsoType.UdpL4 | VirtioNetGsoType.Ecn, GsoSize = 50 };
        Assert.Equal(VirtioNetHeaderError.UsoWithEcn, ErrorOf(header, UdpV4Ethernet));
    }

    [Fact]
    public void Step10_TCP_GSO_partial_checksum_offset_must_be_16()
    {
        var header = TcpCsum(34, 6) with { GsoType = VirtioNetGsoType.TcpV4, GsoSize = 50 };
        Assert.Equal(VirtioNetHeaderError.TcpGsoChecksumOffset, ErrorOf(header, TcpV4Ethernet));
    }

    [Fact]
    public void Big_endian_headers_are_read_in_their_byte_order()
    {
        var header = new VirtioNetHeader(hdrLen: 13);
        var buffer = Write(header, TcpV4Ethernet, 12, VnetByteOrder.BigEndian);
        Assert.False(VirtioNetWriteValidator.TryValidate(buffer, 12, VnetByteOrder.BigEndian, FrameKind.Ethernet, out var error));
        Assert.Equal(VirtioNetHeaderError.HdrLenInsideEthernetHeader, error);

        // Read as little-endian, hdr_len 13 is 0x0D00: past the data.
        Assert.False(VirtioNetWriteValidator.TryValidate(buffer, 12, VnetByteOrder.LittleEndian, FrameKind.Ethernet, out error));
        Assert.Equal(VirtioNetHeaderError.HdrLenBeyondData, error);
    }

    [Fact]
    public void Validate_throws_the_named_error()
    {
        var buffer = Write(new VirtioNetHeader(gsoType: (VirtioNetGsoType)2, gsoSize: 1), TcpV4Ethernet);
        var exception = Assert.Throws<VirtioNetHeaderException>(() => VirtioNetWriteValidator.Validate(buffer, 12, VnetByteOrder.LittleEndian, FrameKind.Ethernet));
        Assert.Equal(VirtioNetHeaderError.UnknownGsoType, exception.Error);
        Assert.Contains("UnknownGsoType", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_bytes_give_a_verdict_and_never_an_exception()
    {
        Gen.Select(Gen.Byte.Array[0, 120], Gen.Int[10, 24], Gen.Bool, Gen.Byte, Gen.Byte).Sample((bytes, size, tap, flags, gso) =>
        {
            if (bytes.Length > 1)
            {
                bytes[0] = (byte)(flags & 1);
                bytes[1] = (byte)(gso & 0x87);
            }

            FrameKind kind = tap ? FrameKind.Ethernet : FrameKind.IP;
            bool valid = VirtioNetWriteValidator.TryValidate(bytes, size, VnetByteOrder.LittleEndian, kind, out VirtioNetHeaderError error);

            // The verdict is one answer: the throwing form accepts exactly what TryValidate accepts, with the same rule.
            Assert.Equal(valid, error == VirtioNetHeaderError.None);
            if (valid)
            {
                VirtioNetWriteValidator.Validate(bytes, size, VnetByteOrder.LittleEndian, kind);
            }
            else
            {
                Assert.Equal(error, Assert.Throws<VirtioNetHeaderException>(() => VirtioNetWriteValidator.Validate(bytes, size, VnetByteOrder.LittleEndian, kind)).Error);
            }
        });
    }
}
