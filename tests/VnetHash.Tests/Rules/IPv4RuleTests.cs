using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using static VnetHash.Tests.Rules.RuleAssert;

namespace VnetHash.Tests.Rules;

/// <summary>
/// virtio spec 1.2+ §5.1.6.4.3.1 ("Supported/enabled hash types", IPv4): TCPv4 if enabled and the packet has a
/// TCP header, else UDPv4 if enabled and it has a UDP header, else IPv4 if enabled, else no hash.
/// </summary>
public class IPv4RuleTests
{
    private const string A = "10.1.2.3";
    private const string B = "192.168.7.9";

    private static byte[] Tcp(FrameBuilder? builder = null) => (builder ?? new FrameBuilder().Ethernet().IPv4(A, B)).Tcp(1234, 80).Build();

    [Fact]
    public void Tcp_with_TcpV4_enabled_hashes_addresses_and_ports() =>
        Equal(HashReport.TcpV4, Tuple(A, B, 1234, 80), Hash(Tcp()));

    [Fact]
    public void Udp_with_UdpV4_enabled_hashes_addresses_and_ports() =>
        Equal(HashReport.UdpV4, Tuple(A, B, 5353, 53), Hash(new FrameBuilder().Ethernet().IPv4(A, B).Udp(5353, 53).Build()));

    [Fact]
    public void Tcp_without_TcpV4_falls_to_the_address_hash_even_when_UdpV4_is_on() =>
        Equal(HashReport.IPv4, Tuple(A, B), Hash(Tcp(), HashTypes.UdpV4 | HashTypes.IPv4));

    [Fact]
    public void Udp_with_only_TcpV4_enabled_gets_no_hash() =>
        Assert.Equal(HashResult.None, Hash(new FrameBuilder().Ethernet().IPv4(A, B).Udp(1, 2).Build(), HashTypes.TcpV4));

    [Fact]
    public void Other_transport_gets_the_address_hash() =>
        Equal(HashReport.IPv4, Tuple(A, B), Hash(new FrameBuilder().Ethernet().IPv4(A, B).Payload([8, 0, 0, 0], 1).Build()));

    [Fact]
    public void Nothing_enabled_for_the_packet_means_no_hash_and_value_zero() =>
        Assert.Equal(HashResult.None, Hash(Tcp(), HashTypes.AllNonEx & ~(HashTypes.IPv4 | HashTypes.TcpV4 | HashTypes.UdpV4)));

    [Fact]
    public void First_fragment_with_MF_hashes_addresses_only_even_with_a_full_tcp_header() =>
        Equal(HashReport.IPv4, Tuple(A, B), Hash(Tcp(new FrameBuilder().Ethernet().IPv4(A, B, moreFragments: true))));

    [Fact]
    public void Later_fragment_with_an_offset_hashes_addresses_only() =>
        Equal(HashReport.IPv4, Tuple(A, B), Hash(Tcp(new FrameBuilder().Ethernet().IPv4(A, B, fragmentOffset: 185))));

    [Fact]
    public void Fragment_with_only_tcp_types_enabled_gets_no_hash() =>
        Assert.Equal(HashResult.None, Hash(Tcp(new FrameBuilder().Ethernet().IPv4(A, B, moreFragments: true)), HashTypes.TcpV4));

    [Fact]
    public void Dont_fragment_alone_is_not_a_fragment() =>
        Equal(HashReport.TcpV4, Tuple(A, B, 1234, 80), Hash(Tcp(new FrameBuilder().Ethernet().IPv4(A, B, dontFragment: true))));

    [Fact]
    public void Options_are_skipped_to_find_the_ports() =>
        Equal(HashReport.TcpV4, Tuple(A, B, 1234, 80), Hash(Tcp(new FrameBuilder().Ethernet().IPv4(A, B, options: [1, 1, 1, 0, 0x94, 4, 0, 0]))));

    [Fact]
    public void Tcp_header_of_19_bytes_is_not_tcp() =>
        Equal(HashReport.IPv4, Tuple(A, B), Hash(new FrameBuilder().Ethernet().IPv4(A, B).Tcp(1, 2, headerLength: 19).Build()));

    [Fact]
    public void Udp_header_of_7_bytes_is_not_udp() =>
        Equal(HashReport.IPv4, Tuple(A, B), Hash(new FrameBuilder().Ethernet().IPv4(A, B).Udp(1, 2, headerLength: 7).Build()));

    [Fact]
    public void Tcp_header_beyond_the_ip_total_length_is_not_tcp()
    {
        // Ethernet padding may follow a short packet; bytes past the IP total length are not the packet's.
        byte[] frame = Tcp();
        frame[14 + 3] = 20 + 8;
        Equal(HashReport.IPv4, Tuple(A, B), Hash(frame));
    }

    [Fact]
    public void Capture_cut_inside_the_addresses_gets_no_hash()
    {
        byte[] frame = Tcp()[..(14 + 16)];
        Assert.Equal(HashResult.None, Hash(frame));
    }

    [Fact]
    public void Total_length_beyond_the_frame_uses_what_is_there()
    {
        byte[] frame = Tcp();
        frame[14 + 2] = 0x05;
        Equal(HashReport.TcpV4, Tuple(A, B, 1234, 80), Hash(frame));
    }

    [Fact]
    public void Total_length_shorter_than_the_header_is_a_lie_and_gets_no_hash()
    {
        byte[] frame = Tcp();
        frame[14 + 2] = 0;
        frame[14 + 3] = 16;
        Assert.Equal(HashResult.None, Hash(frame));
    }

    [Fact]
    public void Header_length_below_five_words_gets_no_hash()
    {
        byte[] frame = Tcp();
        frame[14] = 0x44;
        Assert.Equal(HashResult.None, Hash(frame));
    }

    [Fact]
    public void Header_length_beyond_the_frame_gets_no_hash()
    {
        byte[] frame = Tcp()[..(14 + 24)];
        frame[14] = 0x4F;
        Assert.Equal(HashResult.None, Hash(frame));
    }

    [Fact]
    public void Version_nibble_that_disagrees_with_the_ethertype_is_not_ip()
    {
        byte[] frame = Tcp();
        frame[14] = 0x65;
        Assert.Equal(HashResult.None, Hash(frame));
    }

    [Fact]
    public void Zero_hash_is_a_valid_hash_not_unclassified() =>
        Equal(HashReport.IPv4, 0, Hash(new FrameBuilder().Ethernet().IPv4("0.0.0.0", "0.0.0.0").Payload([], 1).Build()));
}
