using CsCheck;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary>
/// The 24-byte <c>virtio_net_hdr_v1_hash_tunnel</c> (<c>outer_th_offset</c>, <c>inner_nh_offset</c>), the UDP-tunnel GSO
/// bits and flag, and the write-path rules for them (virtio spec "Packet Transmission"; tun's
/// <c>virtio_net_hdr_tnl_to_skb</c>, Linux 6.17 on).
/// </summary>
public class UdpTunnelHeaderTests
{
    private const int Size = VirtioNetHeader.HashTunnelSize;

    // The spec's example: TCP over IPv4 in GENEVE without options over IPv4. csum_start 14+20+8+8+14+20 = 84,
    // csum_offset 16, inner_nh_offset 14+20+8+8+14 = 62, gso_type TCPV4 | UDP_TUNNEL_IPV4 = 0x21. outer_th_offset is
    // "the outer UDP header offset" (driver requirements), 14+20 = 34; the example's "14+20+8 = 42" adds the UDP
    // header itself, which contradicts that rule and Linux, so 34 it is.
    private static readonly byte[] GeneveTcp = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Udp(40000, 6081).Geneve(1)
        .Ethernet().IPv4("172.16.0.1", "172.16.0.2").Tcp(1000, 80).Payload(new byte[3000]).Build();

    private static readonly VirtioNetHeader SpecExample = new(
        VirtioNetHeaderFlags.NeedsCsum,
        VirtioNetGsoType.TcpV4 | VirtioNetGsoType.UdpTunnelIPv4,
        hdrLen: 84 + 20,
        gsoSize: 1400,
        csumStart: 84,
        csumOffset: 16,
        outerThOffset: 34,
        innerNhOffset: 62);

    private static byte[] Write(VirtioNetHeader header, byte[] frame, int headerSize = Size)
    {
        var buffer = new byte[headerSize + frame.Length];
        header.WriteTo(buffer.AsSpan(0, headerSize), VnetByteOrder.LittleEndian);
        frame.CopyTo(buffer, headerSize);
        return buffer;
    }

    private static VirtioNetHeaderError ErrorOf(VirtioNetHeader header, byte[]? frame = null, int headerSize = Size, FrameKind kind = FrameKind.Ethernet)
    {
        byte[] buffer = Write(header, frame ?? GeneveTcp, headerSize);
        bool ok = VirtioNetWriteValidator.TryValidate(buffer, headerSize, VnetByteOrder.LittleEndian, kind, out var error);
        Assert.Equal(ok, error == VirtioNetHeaderError.None);
        if (!ok)
        {
            Assert.Equal(error, Assert.Throws<VirtioNetHeaderException>(() => VirtioNetWriteValidator.Validate(buffer, headerSize, VnetByteOrder.LittleEndian, kind)).Error);
        }

        return error;
    }

    // "#define VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM 8", "#define VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 0x20", "_IPV6 0x40".
    [Fact]
    public void Bits_and_layout_are_the_specs()
    {
        Assert.Equal(8, (int)VirtioNetHeaderFlags.UdpTunnelCsum);
        Assert.Equal(0x20, (int)VirtioNetGsoType.UdpTunnelIPv4);
        Assert.Equal(0x40, (int)VirtioNetGsoType.UdpTunnelIPv6);
        var bytes = new byte[Size];
        SpecExample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal("0121" + "6800" + "7805" + "5400" + "1000" + "0000" + "00000000" + "0000" + "0000" + "2200" + "3e00", Convert.ToHexStringLower(bytes));
    }

    // outer_th_offset and inner_nh_offset are le16 in every byte order (the spec's header has them as le16).
    [Fact]
    public void Every_header_round_trips_at_24_bytes_and_more()
    {
        var header = Gen.Select(Gen.UShort, Gen.UShort, Gen.UShort, Gen.UInt, Gen.UShort[0, 9]).Select((start, outer, inner, hash, report) =>
            new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum | VirtioNetHeaderFlags.UdpTunnelCsum, VirtioNetGsoType.UdpL4 | VirtioNetGsoType.UdpTunnelIPv6,
                csumStart: start, hashValue: hash, hashReport: (HashReport)report, outerThOffset: outer, innerNhOffset: inner));
        Gen.Select(header, Gen.Enum<VnetByteOrder>(), Gen.Int[Size, 64]).Sample((h, order, size) =>
        {
            var bytes = new byte[size];
            h.WriteTo(bytes, order);
            Assert.Equal(h, VirtioNetHeader.ReadFrom(bytes, order));
            Assert.Equal(h.OuterThOffset, (ushort)(bytes[20] | (bytes[21] << 8)));
            Assert.Equal(h.InnerNhOffset, (ushort)(bytes[22] | (bytes[23] << 8)));
            Assert.All(bytes[Size..], b => Assert.Equal(0, b));
        });
    }

    [Fact]
    public void A_header_shorter_than_24_bytes_carries_no_tunnel_offsets()
    {
        var bytes = new byte[20];
        SpecExample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal(SpecExample with { OuterThOffset = 0, InnerNhOffset = 0 }, VirtioNetHeader.ReadFrom(bytes, VnetByteOrder.LittleEndian));
    }

    // "... i.e. 24 bytes if VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO is negotiated"; the fields exist with either UDP tunnel GSO feature.
    [Theory]
    [InlineData(VirtioNetFeatures.Version1, VirtioNetHighFeatures.None, 12)]
    [InlineData(VirtioNetFeatures.Version1, VirtioNetHighFeatures.HostUdpTunnelGso, 24)]
    [InlineData(VirtioNetFeatures.Version1 | VirtioNetFeatures.HashReport, VirtioNetHighFeatures.GuestUdpTunnelGso, 24)]
    [InlineData(VirtioNetFeatures.Version1 | VirtioNetFeatures.HashReport, VirtioNetHighFeatures.HostUdpTunnelGsoCsum, 20)]
    public void The_header_length_counts_the_udp_tunnel_features(VirtioNetFeatures features, VirtioNetHighFeatures high, int length)
    {
        Assert.Equal(length, VirtioNetHeader.LengthFor(features, high));
        Assert.Equal(1UL << 3, (ulong)VirtioNetHighFeatures.HostUdpTunnelGso);
        Assert.Equal(1UL << 1, (ulong)VirtioNetHighFeatures.GuestUdpTunnelGso);
    }

    [Fact]
    public void The_specs_example_is_accepted_on_a_tap()
    {
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(SpecExample));
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(SpecExample with { Flags = VirtioNetHeaderFlags.NeedsCsum | VirtioNetHeaderFlags.UdpTunnelCsum }));
    }

    // tun (6.17 on) parses the tunnel offsets only from a vnet header of at least 24 bytes.
    [Fact]
    public void A_tunnel_gso_type_with_a_shorter_header_is_UdpTunnelNotNegotiated() =>
        Assert.Equal(VirtioNetHeaderError.UdpTunnelNotNegotiated, ErrorOf(SpecExample, headerSize: 20));

    // Device requirements, "Packet Transmission": both tunnel bits; no NEEDS_CSUM; DATA_VALID; no GSO type under the
    // tunnel bit; UDP_TUNNEL_CSUM without a tunnel bit. Driver requirements: no tunnel bit with GSO_UDP.
    [Theory]
    [InlineData(0x61, 1, VirtioNetHeaderError.UdpTunnelBothVersions)]
    [InlineData(0x20, 1, VirtioNetHeaderError.UdpTunnelWithoutGso)]
    [InlineData(0x23, 1, VirtioNetHeaderError.UdpTunnelWithUfo)]
    [InlineData(0x21, 0, VirtioNetHeaderError.UdpTunnelRequiresChecksum)]
    [InlineData(0x21, 3, VirtioNetHeaderError.UdpTunnelWithDataValid)]
    [InlineData(0x01, 9, VirtioNetHeaderError.UdpTunnelChecksumWithoutTunnel)]
    [InlineData(0x00, 8, VirtioNetHeaderError.UdpTunnelChecksumWithoutTunnel)]
    public void The_specs_tunnel_rules_are_named(int gsoType, int flags, VirtioNetHeaderError expected) =>
        Assert.Equal(expected, ErrorOf(SpecExample with { GsoType = (VirtioNetGsoType)gsoType, Flags = (VirtioNetHeaderFlags)flags }));

    // tun's offset rules: outer_th_offset at least the Ethernet header plus the minimal outer IP header (the tunnel bit
    // names the outer protocol), inner_nh_offset at least outer_th_offset + 8, csum_start at least inner_nh_offset plus
    // the minimal inner IP header (IPv6 for TCPV6).
    [Theory]
    [InlineData(0x21, 33, 62, 84, VirtioNetHeaderError.OuterTransportOffsetTooSmall)]
    [InlineData(0x41, 53, 62, 84, VirtioNetHeaderError.OuterTransportOffsetTooSmall)]
    [InlineData(0x21, 34, 41, 84, VirtioNetHeaderError.InnerNetworkOffsetTooSmall)]
    [InlineData(0x21, 34, 62, 81, VirtioNetHeaderError.InnerTransportOffsetTooSmall)]
    [InlineData(0x24, 34, 62, 84, VirtioNetHeaderError.InnerTransportOffsetTooSmall)]
    [InlineData(0x21, 34, 42, 62, VirtioNetHeaderError.None)]
    public void Offsets_are_checked_in_order(int gsoType, int outer, int inner, int start, VirtioNetHeaderError expected) =>
        Assert.Equal(expected, ErrorOf(SpecExample with
        {
            GsoType = (VirtioNetGsoType)gsoType,
            OuterThOffset = (ushort)outer,
            InnerNhOffset = (ushort)inner,
            CsumStart = (ushort)start,
        }));

    // UDP segmentation does not name the inner IP version: it comes from the inner header's version nibble.
    [Fact]
    public void Uso_in_a_tunnel_takes_the_inner_version_from_the_inner_header()
    {
        byte[] v6 = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Udp(40000, 4789).Vxlan(1)
            .Ethernet().IPv6("fd00::1", "fd00::2").Udp(1000, 53).Payload(new byte[3000]).Build();
        int innerNh = 14 + 20 + 8 + 8 + 14;
        var header = new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum, VirtioNetGsoType.UdpL4 | VirtioNetGsoType.UdpTunnelIPv4,
            gsoSize: 1000, csumStart: (ushort)(innerNh + 40), csumOffset: 6, outerThOffset: 34, innerNhOffset: (ushort)innerNh);
        Assert.Equal(VirtioNetHeaderError.None, ErrorOf(header, v6));
        Assert.Equal(VirtioNetHeaderError.InnerTransportOffsetTooSmall, ErrorOf(header with { CsumStart = (ushort)(innerNh + 20) }, v6));
    }

    // The GSO type under the tunnel bit obeys the plain rules: TCP segmentation's checksum is at offset 16.
    [Fact]
    public void The_gso_type_under_the_tunnel_bit_obeys_the_plain_rules() =>
        Assert.Equal(VirtioNetHeaderError.TcpGsoChecksumOffset, ErrorOf(SpecExample with { CsumOffset = 6 }));

    // tun counts an Ethernet header in the minimal outer offset even on a TUN device, whose frames start at the IP header.
    [Fact]
    public void On_a_tun_device_the_outer_offset_still_counts_an_ethernet_header()
    {
        byte[] packet = GeneveTcp[14..];
        var header = SpecExample with { OuterThOffset = 20, InnerNhOffset = 48, CsumStart = 70 };
        Assert.Equal(VirtioNetHeaderError.OuterTransportOffsetTooSmall, ErrorOf(header, packet, kind: FrameKind.IP));
    }
}
