using System.Buffers.Binary;
using VnetHash.Cli.Frames;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.Frames;

/// <summary>Frames built from a <see cref="FrameSpec"/> carry valid checksums (RFC 791, 793, 768, 8200 8.1) and the headers the dissector expects.</summary>
public sealed class FrameSpecTests
{
    private static readonly byte[] V4A = [10, 0, 0, 1], V4B = [10, 0, 0, 2];
    private static readonly byte[] V6A = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    private static readonly byte[] V6B = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    [Fact]
    public void The_ipv4_header_checksum_verifies()
    {
        byte[] ip = new FrameSpec { Source = V4A, Destination = V4B, Protocol = 6, SourcePort = 1, DestinationPort = 2 }.BuildIP();

        // A header with a correct checksum sums to 0xFFFF, so its complement is 0.
        Assert.Equal(0, FrameBuilder.InternetChecksum(ip.AsSpan(0, 20)));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(17)]
    public void Transport_checksums_verify_over_the_pseudo_header(int protocol)
    {
        foreach (var (src, dst) in new[] { (V4A, V4B), (V6A, V6B) })
        {
            byte[] ip = new FrameSpec { Source = src, Destination = dst, Protocol = protocol, SourcePort = 1000, DestinationPort = 53, PayloadLength = 33 }.BuildIP();
            int header = src.Length == 4 ? 20 : 40;
            byte[] segment = ip[header..];

            Assert.Equal(0, FrameBuilder.InternetChecksum([.. PseudoHeader(src, dst, protocol, segment.Length), .. segment]));
        }
    }

    [Fact]
    public void Vlan_tagged_frames_carry_the_tag_before_the_ethertype()
    {
        byte[] frame = new FrameSpec { Source = V4A, Destination = V4B, VlanId = 100 }.BuildEthernet();

        Assert.Equal(0x8100, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)));
        Assert.Equal(100, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14)));
        Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16)));
    }

    [Fact]
    public void Fragments_are_seen_as_fragments_by_the_dissector()
    {
        foreach (FragmentPart part in new[] { FragmentPart.First, FragmentPart.Later })
        {
            foreach (var (src, dst) in new[] { (V4A, V4B), (V6A, V6B) })
            {
                byte[] frame = new FrameSpec { Source = src, Destination = dst, Protocol = 17, SourcePort = 1, DestinationPort = 2, PayloadLength = 100, Fragment = part }.BuildEthernet();

                Assert.True(PacketDissector.Dissect(frame, FrameKind.Ethernet).IsFragment);
            }
        }
    }

    [Fact]
    public void Home_address_and_type_2_routing_headers_are_found_by_the_dissector()
    {
        // virtio spec: IPv6_EX types take the Home Address option's address as source and the type-2 Routing
        // header's address as destination.
        byte[] home = [.. V6A[..15], 0x77];
        byte[] routed = [.. V6B[..15], 0x88];
        byte[] frame = new FrameSpec { Source = V6A, Destination = V6B, Protocol = 6, SourcePort = 1, DestinationPort = 2, HomeAddress = home, RoutingAddress = routed }.BuildEthernet();

        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);

        Assert.True(info.HasExtensionHeaders);
        Assert.Equal(home, frame.AsSpan(info.HomeAddressOffset, 16).ToArray());
        Assert.Equal(routed, frame.AsSpan(info.RoutingAddressOffset, 16).ToArray());
        Assert.Equal(TransportProtocol.Tcp, info.Transport);
    }

    [Fact]
    public void Ipv4_fragments_split_the_whole_datagrams_segment_at_a_multiple_of_8_rfc791()
    {
        var spec = new FrameSpec { Source = V4A, Destination = V4B, Protocol = 6, SourcePort = 1, DestinationPort = 2, PayloadLength = 100, Sequence = 0x10007 };
        (byte[] whole, byte[] first, byte[] later) = WholeAndFragments(spec);

        // 120 transport bytes split at 56: DF alone on the whole datagram, MF on the first piece, offset 7 on the rest.
        Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(whole.AsSpan(6)));
        Assert.Equal(0x2000, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(6)));
        Assert.Equal(56 / 8, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(6)));
        Assert.Equal(0x0007, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(4)));
        Assert.Equal(0x0007, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(4)));
        Assert.Equal(0x10007u, BinaryPrimitives.ReadUInt32BigEndian(whole.AsSpan(24)));
        Assert.Equal(whole[20..], Concatenate(first[20..], later[20..]));
    }

    [Fact]
    public void Ipv6_fragments_carry_a_fragment_header_with_the_offset_and_identification_rfc8200_4_5()
    {
        var spec = new FrameSpec { Source = V6A, Destination = V6B, Protocol = 17, SourcePort = 1, DestinationPort = 2, PayloadLength = 40, Sequence = 3 };
        (byte[] whole, byte[] first, byte[] later) = WholeAndFragments(spec);

        // 48 transport bytes split at 24.
        Assert.Equal(44, first[6]);
        Assert.Equal(17, first[40]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(42)));
        Assert.Equal(24, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(42)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(later.AsSpan(44)));
        Assert.Equal(whole[40..], Concatenate(first[48..], later[48..]));
    }

    [Fact]
    public void The_checksum_of_a_home_address_and_routing_header_packet_uses_those_addresses_rfc6275_6_3_and_6_4()
    {
        byte[] home = [.. V6A[..15], 0x77];
        byte[] routed = [.. V6B[..15], 0x88];
        byte[] ip = new FrameSpec { Source = V6A, Destination = V6B, Protocol = 6, SourcePort = 1, DestinationPort = 2, PayloadLength = 9, HomeAddress = home, RoutingAddress = routed }.BuildIP();
        byte[] segment = ip[(40 + 24 + 24)..];

        Assert.Equal(0, FrameBuilder.InternetChecksum([.. PseudoHeader(home, routed, 6, segment.Length), .. segment]));
    }

    [Fact]
    public void Mismatched_addresses_and_mobile_headers_on_ipv4_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new FrameSpec { Source = V4A, Destination = V6B }.BuildIP());
        Assert.Throws<ArgumentException>(() => new FrameSpec { Source = V4A, Destination = V4B, HomeAddress = V6A }.BuildIP());
        Assert.Throws<ArgumentException>(() => new FrameSpec { Source = V4A, Destination = V4B, Protocol = 17, Fragment = FragmentPart.First }.BuildIP());
    }

    private static (byte[] Whole, byte[] First, byte[] Later) WholeAndFragments(FrameSpec spec) =>
        (spec.BuildIP(), (spec with { Fragment = FragmentPart.First }).BuildIP(), (spec with { Fragment = FragmentPart.Later }).BuildIP());

    private static byte[] Concatenate(byte[] a, byte[] b) => [.. a, .. b];

    // RFC 768 / RFC 8200 8.1: source, destination, protocol and length, summed as 16-bit words.
    private static byte[] PseudoHeader(byte[] source, byte[] destination, int protocol, int length) =>
        [.. source, .. destination, 0, (byte)protocol, (byte)(length >> 8), (byte)length];
}
