using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using static VnetHash.Tests.Rules.RuleAssert;

namespace VnetHash.Tests.Rules;

/// <summary>
/// The <c>linux-tun</c> profile reproduces the series kernel, row by row of the divergence table in
/// docs/design.md (measured in ../shared/reference/series-kernel-behaviour.md). Each test also pins the
/// <c>virtio-spec</c> answer for the same frame, which must not change. The kernel was configured with types 0x3F.
/// </summary>
public class LinuxTunProfileTests
{
    private const HashTypes Six = HashTypes.AllNonEx;

    private static void Both(string hex, HashResult spec, HashResult kernel)
    {
        byte[] frame = Convert.FromHexString(hex);
        Assert.Equal(spec, Hash(frame, Six, HashProfile.VirtioSpec));
        Assert.Equal(kernel, Hash(frame, Six, HashProfile.LinuxTun));
    }

    [Fact]
    public void Row_authentication_header_is_not_skipped_by_the_kernel() => Both(
        "02000000000102000000000086dd60000000002c334020010db800000000000000000000000120010db80000000000000000000000ff06040000000001000000000100000000000000000000000004d2005000000001000000005018200000000000",
        new(0x27643266, HashReport.TcpV6),
        new(0xba149380, HashReport.IPv6));

    [Fact]
    public void Row_ipip_is_hashed_on_the_inner_header_by_the_kernel() => Both(
        "02000000000102000000000008004500003c12340000400494d50a010203c0a80709450000281234000040065244ac1005066440010204d2005000000001000000005018200000000000",
        new(0x604601f2, HashReport.IPv4),
        new(0xd969cf91, HashReport.TcpV4));

    [Fact]
    public void Row_tcp_cut_short_is_still_tcp_in_the_kernel() => Both(
        "02000000000102000000000008004500001812340000400694f70a010203c0a8070904d20050",
        new(0x604601f2, HashReport.IPv4),
        new(0x85310009, HashReport.TcpV4));

    [Fact]
    public void Row_pppoe_session_is_hashed_on_the_inner_ip_by_the_kernel() => Both(
        "020000000001020000000000886411000001002a00214500002812340000400694e70a010203c0a8070904d2005000000001000000005018200000000000",
        HashResult.None,
        new(0x85310009, HashReport.TcpV4));

    [Fact]
    public void Row_mobility_header_ends_the_kernel_walk() => Both(
        "02000000000102000000000086dd60000000001c874020010db800000000000000000000000120010db80000000000000000000000ff060000000000000004d2005000000001000000005018200000000000",
        new(0x27643266, HashReport.TcpV6),
        new(0xba149380, HashReport.IPv6));

    [Fact]
    public void Row_tcp_with_fewer_than_four_port_bytes_counts_the_ports_as_zero()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.1.2.3", "192.168.7.9").Tcp(1234, 80, headerLength: 3).Build();
        Assert.Equal(new HashResult(Tuple("10.1.2.3", "192.168.7.9"), HashReport.IPv4), Hash(frame, Six));
        Assert.Equal(new HashResult(Tuple("10.1.2.3", "192.168.7.9", 0, 0), HashReport.TcpV4), Hash(frame, Six, HashProfile.LinuxTun));
    }

    [Fact]
    public void Row_version_nibble_is_not_checked_by_the_kernel()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.1.2.3", "192.168.7.9").Udp(5, 6).Build();
        frame[14] = 0x65;
        Assert.Equal(HashResult.None, Hash(frame, Six));
        Assert.Equal(new HashResult(Tuple("10.1.2.3", "192.168.7.9", 5, 6), HashReport.UdpV4), Hash(frame, Six, HashProfile.LinuxTun));
    }

    [Theory]
    [InlineData("4in4")]
    [InlineData("6in4")]
    [InlineData("4in6")]
    [InlineData("6in6")]
    public void Row_ip_in_ip_tunnels_are_hashed_on_the_inner_header_by_the_kernel(string tunnel)
    {
        var builder = new FrameBuilder().Ethernet();
        builder = tunnel[2] == '4' ? builder.IPv4("10.0.0.1", "10.0.0.2") : builder.IPv6("2001:db8::a", "2001:db8::b");
        bool innerV4 = tunnel[0] == '4';
        (string s, string d) = innerV4 ? ("172.16.0.1", "172.16.0.2") : ("fd00::1", "fd00::2");
        builder = innerV4 ? builder.IPv4(s, d) : builder.IPv6(s, d);
        byte[] frame = builder.Tcp(1000, 2000).Build();

        HashResult kernel = Hash(frame, Six, HashProfile.LinuxTun);
        Assert.Equal(new HashResult(Tuple(s, d, 1000, 2000), innerV4 ? HashReport.TcpV4 : HashReport.TcpV6), kernel);
        HashResult spec = Hash(frame, Six);
        Assert.Equal(tunnel[2] == '4' ? HashReport.IPv4 : HashReport.IPv6, spec.Report);
    }

    [Theory]
    [InlineData(0x0000, "")]
    [InlineData(0x2000, "00000001")]
    [InlineData(0xB000, "0000000000000007000000ff")]
    public void Row_gre_is_hashed_on_the_inner_header_by_the_kernel(int flags, string optionsHex)
    {
        byte[] inner = new FrameBuilder().IPv4("172.16.0.1", "172.16.0.2").Udp(53, 5353).Build();
        byte[] gre = [(byte)(flags >> 8), (byte)flags, 0x08, 0x00, .. Convert.FromHexString(optionsHex), .. inner];
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Payload(gre, 47).Build();

        Assert.Equal(new HashResult(Tuple("172.16.0.1", "172.16.0.2", 53, 5353), HashReport.UdpV4), Hash(frame, Six, HashProfile.LinuxTun));
        Assert.Equal(new HashResult(Tuple("10.0.0.1", "10.0.0.2"), HashReport.IPv4), Hash(frame, Six));
    }

    [Fact]
    public void Row_ethernet_over_gre_is_hashed_on_the_inner_header_by_the_kernel()
    {
        byte[] inner = new FrameBuilder().Ethernet().IPv6("fd00::1", "fd00::2").Tcp(1, 2).Build();
        byte[] gre = [0, 0, 0x65, 0x58, .. inner];
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Payload(gre, 47).Build();
        Assert.Equal(new HashResult(Tuple("fd00::1", "fd00::2", 1, 2), HashReport.TcpV6), Hash(frame, Six, HashProfile.LinuxTun));
    }

    [Fact]
    public void Row_extension_header_running_past_the_frame_is_tcp_with_zero_ports_in_the_kernel()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").DestinationOptions().Tcp(1, 2).Build();
        frame[14 + 40 + 1] = 10;
        Assert.Equal(new HashResult(Tuple("2001:db8::1", "2001:db8::2", 0, 0), HashReport.TcpV6), Hash(frame, Six, HashProfile.LinuxTun));
        Assert.Equal(new HashResult(Tuple("2001:db8::1", "2001:db8::2"), HashReport.IPv6), Hash(frame, Six));
    }

    [Fact]
    public void Row_ex_types_have_no_effect_in_the_kernel()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").DestinationOptions("2001:db8::99").Tcp(1, 2).Build();
        Assert.Equal(new HashResult(Tuple("2001:db8::1", "2001:db8::2", 1, 2), HashReport.TcpV6), Hash(frame, HashTypes.All, HashProfile.LinuxTun));
        Assert.Equal(HashResult.None, Hash(frame, HashTypes.AllEx, HashProfile.LinuxTun));
        Assert.Equal(new HashResult(Tuple("2001:db8::99", "2001:db8::2", 1, 2), HashReport.TcpV6Ex), Hash(frame, HashTypes.All));
    }

    [Fact]
    public void Agreement_ipv4_options_fragments_vlan_and_non_ip_are_decided_alike()
    {
        byte[][] frames =
        [
            new FrameBuilder().Ethernet().IPv4("1.2.3.4", "5.6.7.8", options: [1, 1, 1, 0]).Tcp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv4("1.2.3.4", "5.6.7.8", moreFragments: true).Tcp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv4("1.2.3.4", "5.6.7.8", fragmentOffset: 9).Udp(1, 2).Build(),
            new FrameBuilder().Ethernet().Vlan(5, 0x88A8).Vlan(6).IPv6("fd00::1", "fd00::2").Udp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv6("fd00::1", "fd00::2").Fragment().Tcp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv6("fd00::1", "fd00::2").HopByHop().Routing("fd00::9").Tcp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv6("fd00::1", "fd00::2").Payload(new byte[8], 50).Build(),
            new FrameBuilder().Ethernet(etherType: 0x0806).Payload(new byte[28]).Build(),
        ];
        foreach (byte[] frame in frames)
        {
            Assert.Equal(Hash(frame, Six), Hash(frame, Six, HashProfile.LinuxTun));
        }
    }
}
