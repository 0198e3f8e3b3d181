using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using static VnetHash.Tests.Rules.RuleAssert;

namespace VnetHash.Tests.Rules;

/// <summary>What the rules do with the layers around IP: VLAN tags, raw IP frames from a TUN device, non-IP.</summary>
public class FramingRuleTests
{
    private const string A = "10.1.2.3";
    private const string B = "192.168.7.9";

    [Fact]
    public void Vlan_tag_is_skipped_and_not_hashed() =>
        Equal(HashReport.TcpV4, Tuple(A, B, 1, 2), Hash(new FrameBuilder().Ethernet().Vlan(100).IPv4(A, B).Tcp(1, 2).Build()));

    [Fact]
    public void Stacked_qinq_tags_are_skipped() =>
        Equal(HashReport.UdpV4, Tuple(A, B, 1, 2), Hash(new FrameBuilder().Ethernet().Vlan(10, 0x88A8).Vlan(20).IPv4(A, B).Udp(1, 2).Build()));

    [Fact]
    public void Tags_beyond_the_bound_end_the_parse_without_a_hash()
    {
        var builder = new FrameBuilder().Ethernet();
        for (int i = 0; i <= PacketDissector.MaxVlanTags; i++)
        {
            builder.Vlan((ushort)i);
        }

        Assert.Equal(HashResult.None, Hash(builder.IPv4(A, B).Tcp(1, 2).Build()));
    }

    [Fact]
    public void Tags_up_to_the_bound_are_skipped()
    {
        var builder = new FrameBuilder().Ethernet();
        for (int i = 0; i < PacketDissector.MaxVlanTags; i++)
        {
            builder.Vlan((ushort)i);
        }

        Equal(HashReport.TcpV4, Tuple(A, B, 1, 2), Hash(builder.IPv4(A, B).Tcp(1, 2).Build()));
    }

    [Fact]
    public void The_0x9100_tag_is_not_a_vlan_tag_and_the_frame_is_not_ip() =>
        Assert.Equal(HashResult.None, Hash(new FrameBuilder().Ethernet().Vlan(1, 0x9100).IPv4(A, B).Tcp(1, 2).Build()));

    [Fact]
    public void Raw_ipv4_frame_is_chosen_by_its_version_nibble() =>
        Equal(HashReport.TcpV4, Tuple(A, B, 1, 2), Hash(new FrameBuilder().IPv4(A, B).Tcp(1, 2).Build(), kind: FrameKind.IP));

    [Fact]
    public void Raw_ipv6_frame_is_chosen_by_its_version_nibble() =>
        Equal(HashReport.UdpV6, Tuple("2001:db8::1", "2001:db8::2", 1, 2), Hash(new FrameBuilder().IPv6("2001:db8::1", "2001:db8::2").Udp(1, 2).Build(), kind: FrameKind.IP));

    [Fact]
    public void Raw_frame_with_another_version_is_not_ip()
    {
        byte[] frame = new FrameBuilder().IPv4(A, B).Tcp(1, 2).Build();
        frame[0] = 0x55;
        Assert.Equal(HashResult.None, Hash(frame, kind: FrameKind.IP));
        Assert.Equal(HashResult.None, Hash([], kind: FrameKind.IP));
    }

    [Fact]
    public void Arp_and_other_ethertypes_get_report_none_and_hash_zero()
    {
        Assert.Equal(HashResult.None, Hash(new FrameBuilder().Ethernet(etherType: 0x0806).Payload(new byte[28]).Build()));
        Assert.Equal(HashResult.None, Hash(new FrameBuilder().Ethernet(etherType: 0x9000).Payload([]).Build()));
    }

    [Fact]
    public void Frame_shorter_than_an_ethernet_header_is_not_ip() =>
        Assert.Equal(HashResult.None, Hash(new byte[13]));
}
