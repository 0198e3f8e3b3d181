using System.Buffers.Binary;
using System.Net;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Tests.Packets;

/// <summary>
/// The frame builder's headers, checked by recomputing every length and checksum here: IPv4 header (RFC 791),
/// TCP and UDP over the pseudo-header (RFC 793, RFC 768, RFC 8200 8.1, RFC 6275 6.3 and 6.4), fragments
/// (RFC 791, RFC 8200 4.5).
/// </summary>
public class FrameBuilderTests
{
    private const string V4S = "10.0.0.1", V4D = "10.0.0.2";
    private const string V6S = "2001:db8::1", V6D = "2001:db8::2", Home = "2001:db8:1::77", Routed = "2001:db8:2::88";

    [Fact]
    public void Ipv4_header_checksum_identification_and_flags_are_written_rfc791()
    {
        byte[] ip = new FrameBuilder().IPv4(V4S, V4D, dontFragment: true, identification: 0xBEEF).Tcp(1, 2).Build();

        Assert.Equal(0xFFFF, Sum(ip.AsSpan(0, 20)));
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(4)));
        Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(6)));
        Assert.Equal(ip.Length, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(2)));
    }

    [Fact]
    public void Ipv4_identification_keeps_its_default_when_not_given()
    {
        byte[] ip = new FrameBuilder().IPv4(V4S, V4D).Udp(1, 2).Build();

        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(4)));
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(false, 17)]
    [InlineData(true, 6)]
    [InlineData(true, 17)]
    public void Transport_checksums_verify_over_the_ip_headers_pseudo_header_rfc768_rfc793_rfc8200_8_1(bool ipv6, int protocol)
    {
        FrameBuilder builder = ipv6 ? new FrameBuilder().IPv6(V6S, V6D) : new FrameBuilder().IPv4(V4S, V4D);
        byte[] ip = Transport(builder, protocol).Payload(37).Build();
        byte[] segment = ip[(ipv6 ? 40 : 20)..];

        Assert.Equal(0xFFFF, PseudoSum(ipv6 ? V6S : V4S, ipv6 ? V6D : V4D, protocol, segment));
    }

    [Fact]
    public void Tcp_sequence_flags_and_window_are_written_and_keep_their_defaults_rfc793()
    {
        byte[] given = new FrameBuilder().IPv4(V4S, V4D).Tcp(1, 2, sequence: 0xA1B2C3D4, flags: 0x18, window: 65535).Build();
        byte[] defaults = new FrameBuilder().IPv4(V4S, V4D).Tcp(1, 2).Build();

        Assert.Equal(0xA1B2C3D4, BinaryPrimitives.ReadUInt32BigEndian(given.AsSpan(24)));
        Assert.Equal(0x18, given[33]);
        Assert.Equal(65535, BinaryPrimitives.ReadUInt16BigEndian(given.AsSpan(34)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(defaults.AsSpan(24)));
        Assert.Equal(0x01, defaults[33]);
        Assert.Equal(0x2000, BinaryPrimitives.ReadUInt16BigEndian(defaults.AsSpan(34)));
        Assert.Equal(0xFFFF, PseudoSum(V4S, V4D, 6, given[20..]));
    }

    [Fact]
    public void A_payload_of_a_length_repeats_a_to_z_and_names_its_protocol()
    {
        byte[] ip = new FrameBuilder().IPv6(V6S, V6D).Payload(60, protocol: 253).Build();

        Assert.Equal(253, ip[6]);
        Assert.Equal(60, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(4)));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (byte)('a' + (i % 26))), ip[40..]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameBuilder().Payload(-1));
    }

    [Fact]
    public void A_udp_checksum_that_computes_to_0_is_sent_as_ffff_rfc768()
    {
        // The checksum moves by one per source port, so some port in the range computes to 0.
        bool found = false;
        for (int port = 0; port <= ushort.MaxValue; port++)
        {
            byte[] ip = new FrameBuilder().IPv4(V4S, V4D).Udp((ushort)port, 53).Payload(5).Build();
            ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(26));
            Assert.NotEqual(0, checksum);
            if (checksum == 0xFFFF)
            {
                found = true;
                Assert.Equal(0xFFFF, PseudoSum(V4S, V4D, 17, ip[20..]));
            }
        }

        Assert.True(found);
    }

    [Fact]
    public void Ipv4_fragments_split_the_segment_checksummed_whole_at_their_offsets_rfc791()
    {
        byte[] whole = new FrameBuilder().IPv4(V4S, V4D).Udp(1, 2).Payload(100).Build()[20..];
        byte[] first = new FrameBuilder().IPv4(V4S, V4D, moreFragments: true, identification: 7).FragmentPiece(0, 48).Udp(1, 2).Payload(100).Build();
        byte[] later = new FrameBuilder().IPv4(V4S, V4D, fragmentOffset: 6, identification: 7).FragmentPiece(48).Udp(1, 2).Payload(100).Build();

        Assert.Equal(0x2000, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(6)));
        Assert.Equal(6, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(6)));
        Assert.Equal(first.Length, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(2)));
        Assert.Equal(later.Length, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(2)));
        Assert.Equal(0xFFFF, Sum(first.AsSpan(0, 20)));
        Assert.Equal(0xFFFF, Sum(later.AsSpan(0, 20)));
        Assert.Equal(17, later[9]);
        byte[] reassembled = [.. first[20..], .. later[20..]];
        Assert.Equal(whole, reassembled);
        Assert.Equal(0xFFFF, PseudoSum(V4S, V4D, 17, reassembled));
    }

    [Fact]
    public void Ipv6_fragments_carry_a_fragment_header_and_split_the_segment_checksummed_whole_rfc8200_4_5()
    {
        byte[] whole = new FrameBuilder().IPv6(V6S, V6D).Tcp(1, 2).Payload(50).Build()[40..];
        byte[] first = new FrameBuilder().IPv6(V6S, V6D).Fragment(0, more: true, identification: 9).FragmentPiece(0, 32).Tcp(1, 2).Payload(50).Build();
        byte[] later = new FrameBuilder().IPv6(V6S, V6D).Fragment(4, identification: 9).FragmentPiece(32).Tcp(1, 2).Payload(50).Build();

        Assert.Equal(44, first[6]);
        Assert.Equal(6, first[40]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(42)));
        Assert.Equal(4 << 3, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(42)));
        Assert.Equal(9u, BinaryPrimitives.ReadUInt32BigEndian(later.AsSpan(44)));
        Assert.Equal(first.Length - 40, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(4)));
        Assert.Equal(later.Length - 40, BinaryPrimitives.ReadUInt16BigEndian(later.AsSpan(4)));
        byte[] reassembled = [.. first[48..], .. later[48..]];
        Assert.Equal(whole, reassembled);
        Assert.Equal(0xFFFF, PseudoSum(V6S, V6D, 6, reassembled));
        Assert.True(PacketDissector.Dissect(first, FrameKind.IP).IsFragment);
        Assert.True(PacketDissector.Dissect(later, FrameKind.IP).IsFragment);
    }

    [Fact]
    public void Fragment_pieces_start_at_a_multiple_of_8_and_stay_inside_the_datagram()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameBuilder().FragmentPiece(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameBuilder().FragmentPiece(-8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameBuilder().FragmentPiece(0, -1));
        Assert.Throws<ArgumentException>(() => new FrameBuilder().IPv4(V4S, V4D).FragmentPiece(8, 40).Udp(1, 2).Payload(10).Build());
        Assert.Throws<ArgumentException>(() => new FrameBuilder().IPv4(V4S, V4D).FragmentPiece(24).Udp(1, 2).Payload(10).Build());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(17)]
    public void Home_address_and_type_2_routing_address_enter_the_pseudo_header_rfc6275_6_3_and_6_4(int protocol)
    {
        byte[] both = Transport(new FrameBuilder().IPv6(V6S, V6D).Routing(Routed).DestinationOptions(Home), protocol).Payload(21).Build();
        byte[] home = Transport(new FrameBuilder().IPv6(V6S, V6D).DestinationOptions(Home), protocol).Payload(21).Build();
        byte[] routed = Transport(new FrameBuilder().IPv6(V6S, V6D).Routing(Routed), protocol).Payload(21).Build();

        Assert.Equal(0xFFFF, PseudoSum(Home, Routed, protocol, both[(40 + 24 + 24)..]));
        Assert.NotEqual(0xFFFF, PseudoSum(V6S, V6D, protocol, both[(40 + 24 + 24)..]));
        Assert.Equal(0xFFFF, PseudoSum(Home, V6D, protocol, home[(40 + 24)..]));
        Assert.Equal(0xFFFF, PseudoSum(V6S, Routed, protocol, routed[(40 + 24)..]));
    }

    [Fact]
    public void A_routing_header_with_no_segments_left_leaves_the_ip_destination_in_the_pseudo_header_rfc8200_8_1()
    {
        byte[] ip = new FrameBuilder().IPv6(V6S, V6D).Routing(Routed, segmentsLeft: 0).Udp(1, 2).Payload(9).Build();

        Assert.Equal(0xFFFF, PseudoSum(V6S, V6D, 17, ip[(40 + 24)..]));
    }

    [Fact]
    public void A_fragmented_datagram_with_home_address_and_routing_header_checksums_over_the_mobile_addresses()
    {
        byte[] whole = new FrameBuilder().IPv6(V6S, V6D).Routing(Routed).DestinationOptions(Home).Udp(1, 2).Payload(40).Build()[88..];
        byte[] first = new FrameBuilder().IPv6(V6S, V6D).Routing(Routed).DestinationOptions(Home).Fragment(0, more: true).FragmentPiece(0, 24).Udp(1, 2).Payload(40).Build();
        byte[] later = new FrameBuilder().IPv6(V6S, V6D).Routing(Routed).DestinationOptions(Home).Fragment(3).FragmentPiece(24).Udp(1, 2).Payload(40).Build();

        byte[] reassembled = [.. first[96..], .. later[96..]];
        Assert.Equal(whole, reassembled);
        Assert.Equal(0xFFFF, PseudoSum(Home, Routed, 17, reassembled));
    }

    private static FrameBuilder Transport(FrameBuilder builder, int protocol) =>
        protocol == 6 ? builder.Tcp(1000, 443, sequence: 12345) : builder.Udp(1000, 53);

    // The pseudo-header (source, destination, zero, protocol, length) and the segment, summed as 16-bit words;
    // a correct checksum makes it 0xFFFF.
    private static int PseudoSum(string source, string destination, int protocol, byte[] segment)
    {
        byte[] pseudo = [.. IPAddress.Parse(source).GetAddressBytes(), .. IPAddress.Parse(destination).GetAddressBytes(), 0, (byte)protocol, (byte)(segment.Length >> 8), (byte)segment.Length];
        return Sum([.. pseudo, .. segment]);
    }

    // The RFC 1071 ones'-complement sum, recomputed here rather than taken from the builder.
    private static int Sum(ReadOnlySpan<byte> data)
    {
        long sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (int)sum;
    }
}
