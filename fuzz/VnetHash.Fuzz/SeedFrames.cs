using VnetHash.Traffic;

namespace VnetHash.Fuzz;

/// <summary>Real frames for the seeds of the frame targets: every header the rules of either profile walk.</summary>
internal static class SeedFrames
{
    private const string A4 = "192.0.2.1";
    private const string B4 = "198.51.100.7";
    private const string A6 = "2001:db8::1";
    private const string B6 = "2001:db8:ffff::2";
    private const string Home = "2001:db8:aaaa::10";
    private const string Care = "2001:db8:bbbb::20";

    public static IEnumerable<(string Name, byte[] Frame, bool IP)> All()
    {
        yield return ("ipv4-tcp", Eth().IPv4(A4, B4).Tcp(49152, 443).Payload(16).Build(), false);
        yield return ("ipv4-udp", Eth().IPv4(A4, B4).Udp(5353, 53).Payload(12).Build(), false);
        yield return ("ipv4-options-tcp", Eth().IPv4(A4, B4, options: [1, 1, 1, 0]).Tcp(1, 2).Build(), false);
        yield return ("ipv4-fragment", Eth().IPv4(A4, B4, moreFragments: true).Udp(7, 9).Payload(24).Build(), false);
        yield return ("ipv4-icmp", Eth().IPv4(A4, B4).Payload(8, protocol: 1).Build(), false);
        yield return ("ipv4-tcp-cut-short", Eth().IPv4(A4, B4).Tcp(80, 8080, headerLength: 12).Build(), false);
        yield return ("vlan-qinq-ipv4-tcp", Eth().Vlan(100, 0x88A8).Vlan(200).IPv4(A4, B4).Tcp(1000, 2000).Build(), false);
        yield return ("ipv6-tcp", Eth().IPv6(A6, B6).Tcp(50000, 22).Payload(4).Build(), false);
        yield return ("ipv6-udp", Eth().IPv6(A6, B6).Udp(4789, 4789).Build(), false);
        yield return ("ipv6-ex-tcp", Eth().IPv6(A6, B6).HopByHop().Routing(Care).DestinationOptions(Home).Tcp(1, 2).Build(), false);
        yield return ("ipv6-fragment", Eth().IPv6(A6, B6).Fragment(0, more: true).Udp(1, 2).Payload(16).Build(), false);
        yield return ("ipv6-ah-udp", Eth().IPv6(A6, B6).AuthenticationHeader().Udp(1, 2).Build(), false);
        yield return ("ipv6-mobility", Eth().IPv6(A6, B6).Mobility().Build(), false);
        yield return ("ipip-tcp", Eth().IPv4(A4, B4).IPv4("10.0.0.1", "10.0.0.2").Tcp(3, 4).Build(), false);
        yield return ("6in4-udp", Eth().IPv4(A4, B4).IPv6(A6, B6).Udp(5, 6).Build(), false);
        yield return ("gre-ipv4-tcp", Eth().IPv4(A4, B4).Payload([0x20, 0x00, 0x08, 0x00, 0, 0, 0, 42, .. Ip().IPv4("10.1.1.1", "10.2.2.2").Tcp(7, 8).Build()], protocol: 47).Build(), false);
        yield return ("vxlan-ipv4-tcp", Eth().IPv4(A4, B4).Udp(49152, 4789).Vxlan(42).Payload(Eth().IPv4("10.1.1.1", "10.2.2.2").Tcp(7, 8).Build()).Build(), false);
        yield return ("geneve-ipv6-udp", Eth().IPv6(A6, B6).Udp(49153, 6081).Geneve(7).Payload(Eth().IPv6(B6, A6).Udp(9, 10).Build()).Build(), false);
        yield return ("vxlan-gpe-ipv4-udp", Eth().IPv4(A4, B4).Udp(49154, 4790).VxlanGpe(5, 1).Payload(Ip().IPv4("10.1.1.1", "10.2.2.2").Udp(11, 12).Build()).Build(), false);
        yield return ("gre-key-ipv6-tcp", Eth().IPv4(A4, B4).Gre(key: 9, protocol: 0x86DD).Payload(Ip().IPv6(A6, B6).Tcp(13, 14).Build()).Build(), false);
        yield return ("pppoe-ipv4-udp", Pppoe(Ip().IPv4(A4, B4).Udp(67, 68).Build()), false);
        yield return ("arp", Eth(0x0806).Payload(28, protocol: 0).Build(), false);
        yield return ("tun-ipv4-tcp", Ip().IPv4(A4, B4).Tcp(1234, 80).Build(), true);
        yield return ("tun-ipv6-udp", Ip().IPv6(A6, B6).Udp(1234, 53).Build(), true);
    }

    private static FrameBuilder Eth(ushort? etherType = null) => new FrameBuilder().Ethernet(etherType: etherType);

    private static FrameBuilder Ip() => new();

    // PPPoE session (RFC 2516): version/type, code, session id, length, then the PPP protocol 0x0021 (IPv4).
    private static byte[] Pppoe(byte[] packet) =>
    [
        2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0x64,
        0x11, 0x00, 0x00, 0x01, (byte)((packet.Length + 2) >> 8), (byte)(packet.Length + 2), 0x00, 0x21, .. packet,
    ];
}
