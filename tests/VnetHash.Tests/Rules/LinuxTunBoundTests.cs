using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using static VnetHash.Tests.Rules.RuleAssert;

namespace VnetHash.Tests.Rules;

/// <summary>
/// The <c>linux-tun</c> profile at the Linux flow dissector's bound (MAX_FLOW_DISSECT_HDRS: 15 counted hand-overs;
/// docs/design.md "The linux-tun profile") and in its other corners, kind by kind, with the answers measured inside
/// both series kernels (tests/VnetHash.SeriesKernel.Runner, scenario <c>bounds</c>; the hexadecimal values below
/// are the kernel's). The frames are <see cref="MixedFrameGenerator.HeaderBoundChains"/> and
/// <see cref="MixedFrameGenerator.DissectorCorners"/>.
/// </summary>
public class LinuxTunBoundTests
{
    private static HashResult Kernel(byte[] frame) => Hash(frame, HashTypes.AllNonEx, HashProfile.LinuxTun);

    private static byte[] Chain(string kind, int count) =>
        MixedFrameGenerator.HeaderBoundChains().Single(chain => chain.Kind == kind && chain.Count == count).Frame;

    private static byte[] Corner(string name) => MixedFrameGenerator.DissectorCorners().Single(corner => corner.Name == name).Frame;

    // The IPv6 header is the first step and not counted; each extension header is a counted hand-over, and the one
    // past the bound still names the protocol that follows it (TCP after the 16th), but is not walked (after 17).
    [Theory]
    [InlineData("destination-options")]
    [InlineData("routing")]
    [InlineData("hop-by-hop-first")]
    public void Sixteen_extension_headers_are_walked_and_the_seventeenth_is_not(string kind)
    {
        uint addresses = Tuple("2001:db8::1", "2001:db8::2");
        for (int n = 12; n <= 16; n++)
        {
            Equal(HashReport.TcpV6, Tuple("2001:db8::1", "2001:db8::2", 1000, 2000), Kernel(Chain(kind, n)));
        }

        for (int n = 17; n <= 19; n++)
        {
            Equal(HashReport.IPv6, addresses, Kernel(Chain(kind, n)));
        }
    }

    // A Fragment header ends the walk as a fragment; past the bound the walk ends before it. Both give addresses only.
    [Fact]
    public void Destination_options_then_a_fragment_header_give_addresses_only_at_every_length()
    {
        for (int n = 12; n <= 19; n++)
        {
            Equal(HashReport.IPv6, Tuple("2001:db8::1", "2001:db8::2"), Kernel(Chain("fragment-last", n)));
        }
    }

    // Measured: 15 tags TCPv4 0x74c4cb08; 16 tags IPv4 pending with no address read, hash 0; 17 tags a tag pending.
    [Fact]
    public void Tags_stop_the_walk_after_the_fifteenth_hand_over()
    {
        Equal(HashReport.TcpV4, 0x74c4cb08, Kernel(Chain("vlan", 15)));
        Equal(HashReport.IPv4, 0, Kernel(Chain("vlan", 16)));
        Assert.Equal(HashResult.None, Kernel(Chain("vlan", 17)));
        Assert.Equal(HashResult.None, Kernel(Chain("vlan", 19)));
    }

    // The outer IPv4 header is the first step; each tunnel is a counted hand-over to the next IP header. After 14
    // extra layers the 15th hand-over reaches the innermost header (UDPv4 0xfae9ddaa); after 15 the walk stops with
    // IPv4 pending over the 15th header's addresses (10.14.0.1, 10.14.0.2; 0x6a335a7a), whatever follows.
    [Theory]
    [InlineData("ipip")]
    [InlineData("gre")]
    public void Tunnel_layers_stop_the_walk_after_the_fifteenth_hand_over(string kind)
    {
        Equal(HashReport.UdpV4, Tuple("172.16.0.1", "172.16.0.2", 53, 5353), Kernel(Chain(kind, 14)));
        Assert.Equal(0xfae9ddaau, Kernel(Chain(kind, 14)).Value);
        for (int n = 15; n <= 19; n++)
        {
            Equal(HashReport.IPv4, Tuple("10.14.0.1", "10.14.0.2"), Kernel(Chain(kind, n)));
        }

        Assert.Equal(0x6a335a7au, Tuple("10.14.0.1", "10.14.0.2"));
    }

    // The dissector's address key is one union of IPv4 (8 bytes) and IPv6 (32 bytes) addresses. IPv4 pending over
    // IPv6 addresses: their first 8 bytes (measured 0x843f453c). IPv6 pending over IPv4 addresses: those 8 bytes,
    // then what the older IPv6 header left (measured 0xbd9955e5) or zeros (the IPv4 tuple's value, 0x6a335a7a).
    [Fact]
    public void A_protocol_pending_at_the_bound_takes_the_addresses_the_last_header_left()
    {
        byte[] firstEight = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0];
        Equal(HashReport.IPv4, ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, firstEight), Kernel(Chain("ipv4-pending-over-ipv6", 16)));
        Assert.Equal(0x843f453cu, Kernel(Chain("ipv4-pending-over-ipv6", 16)).Value);
        Equal(HashReport.IPv6, 0xbd9955e5, Kernel(Chain("ipv6-pending-over-ipv4-over-ipv6", 16)));
        Equal(HashReport.IPv6, Tuple("10.14.0.1", "10.14.0.2"), Kernel(Chain("ipv6-pending-over-ipv4", 16)));
        Equal(HashReport.TcpV4, 0x74c4cb08, Kernel(Chain("pppoe-after-14-tags", 15)));
        Equal(HashReport.IPv4, 0, Kernel(Chain("pppoe-after-15-tags", 16)));
    }

    // GRE version 1 takes its protocol type and stops unless it is PPTP (RFC 2637: key and PPP), whose PPP header
    // names the payload; versions above 1 and routing stop with the outer header; the virtio-spec profile keeps the
    // outer header throughout.
    [Fact]
    public void Gre_version_1_is_pptp_or_the_end_of_the_walk()
    {
        uint outer = Tuple("192.0.2.1", "192.0.2.2");
        Equal(HashReport.IPv6, outer, Kernel(Corner("gre-version-1-ipv6-over-ipv4")));
        Equal(HashReport.IPv4, 0x843f453c, Kernel(Corner("gre-version-1-ipv4-over-ipv6")));
        Assert.Equal(HashResult.None, Kernel(Corner("gre-version-1-teb")));
        Equal(HashReport.IPv4, outer, Kernel(Corner("gre-version-2")));
        Equal(HashReport.IPv4, outer, Kernel(Corner("gre-routing")));
        Equal(HashReport.UdpV4, Tuple("172.16.0.1", "172.16.0.2", 53, 5353), Kernel(Corner("pptp-ipv4")));
        Equal(HashReport.TcpV6, Tuple("fd00::1", "fd00::2", 1, 2), Kernel(Corner("pptp-ipv6-no-ack")));
        Assert.Equal(HashResult.None, Kernel(Corner("pptp-without-key")));
        Assert.Equal(HashResult.None, Kernel(Corner("pptp-other-ppp-protocol")));
        Equal(HashReport.IPv4, outer, Hash(Corner("pptp-ipv4"), HashTypes.AllNonEx));
    }

    // Fuzz finding (fuzz/findings/frame): IPv4 48.48.48.48 -> 48.48.48.48 carrying a 4-byte GRE version 1 header that
    // names IPv6, 24 bytes in all. The walk stops with IPv6 pending and the address union holds the IPv4 addresses,
    // then zeros: the dissection points at 8 bytes, not 32, and says so through AddressesInPlace.
    [Fact]
    public void A_protocol_pending_over_another_says_its_addresses_are_not_in_place()
    {
        byte[] frame = Convert.FromHexString("4530303030300000302f30303030303030303030304186dd");
        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.IP, HashProfile.LinuxTun);
        Assert.Equal(NetworkProtocol.IPv6, info.Network);
        Assert.Equal(12, info.AddressOffset);
        Assert.False(info.AddressesInPlace);
        byte[] input = new byte[HashInput.MaxLength];
        int length = HashInput.Write(frame, in info, HashReport.IPv6, SymmetricMode.None, input);
        Assert.Equal([.. frame[12..20], .. new byte[24]], input[..length]);
        Assert.Equal(32, HashInput.WriteAddresses(frame, in info, input));
        Assert.Equal([.. frame[12..20], .. new byte[24]], input[..32]);
        Equal(HashReport.IPv6, Tuple("48.48.48.48", "48.48.48.48"), Hash(frame, HashTypes.AllNonEx, HashProfile.LinuxTun, FrameKind.IP));

        Assert.False(PacketDissector.Dissect(Corner("gre-version-1-ipv6-over-ipv4"), FrameKind.Ethernet, HashProfile.LinuxTun).AddressesInPlace);
        Assert.True(PacketDissector.Dissect(Corner("gre-version-1-ipv4-over-ipv6"), FrameKind.Ethernet, HashProfile.LinuxTun).AddressesInPlace);
        Assert.True(PacketDissector.Dissect(Corner("gre-version-2"), FrameKind.Ethernet, HashProfile.LinuxTun).AddressesInPlace);
        Assert.True(PacketDissector.Dissect(Corner("gre-version-1-ipv6-over-ipv4"), FrameKind.Ethernet).AddressesInPlace);
        Assert.False(PacketDissector.Dissect(Corner("mpls-in-ipv4"), FrameKind.Ethernet, HashProfile.LinuxTun).AddressesInPlace);
    }

    // Cut GRE fields the dissector reads (the key, the inner Ethernet header) or needs next (an IP header after a
    // cut sequence number) leave no network header: no hash. MPLS in IP names no protocol the hash rules know.
    // batman-adv unicast frames of the compatible version (15) are walked into; other versions are not.
    [Fact]
    public void Cut_gre_fields_mpls_in_ip_and_batman_adv_are_decided_as_the_kernel_does()
    {
        Assert.Equal(HashResult.None, Kernel(Corner("gre-key-cut-short")));
        Assert.Equal(HashResult.None, Kernel(Corner("gre-sequence-cut-short")));
        Assert.Equal(HashResult.None, Kernel(Corner("gre-teb-ethernet-cut-short")));
        Assert.Equal(HashResult.None, Kernel(Corner("mpls-in-ipv4")));
        Assert.Equal(HashResult.None, Kernel(Corner("pppoe-compressed-protocol")));
        Equal(HashReport.UdpV4, Tuple("172.16.0.1", "172.16.0.2", 53, 5353), Kernel(Corner("batman-adv-unicast-ipv4")));
        Assert.Equal(HashResult.None, Kernel(Corner("batman-adv-other-version")));
    }

    // The symmetric modes work on the union's tuple: for IPv6 pending over 10.9.0.1/10.9.0.2 written over
    // 2001:db8::1 -> 2001:db8::2 the source is 0a090001 0a090002 00000000 00000001 and the destination 2001:db8::2.
    [Fact]
    public void Symmetric_modes_apply_to_the_union_addresses()
    {
        byte[] frame = Chain("ipv6-pending-over-ipv4-over-ipv6", 16);
        byte[] source = Convert.FromHexString("0a0900010a0900020000000000000001");
        byte[] destination = System.Net.IPAddress.Parse("2001:db8::2").GetAddressBytes();
        byte[] xored = [.. source.Zip(destination, (a, b) => (byte)(a ^ b))];
        var sorted = new PacketHasher(Key, HashTypes.AllNonEx, HashProfile.LinuxTun, SymmetricMode.SortedTuple).Hash(frame, FrameKind.Ethernet);
        var xor = new PacketHasher(Key, HashTypes.AllNonEx, HashProfile.LinuxTun, SymmetricMode.Xor).Hash(frame, FrameKind.Ethernet);
        Equal(HashReport.IPv6, ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, [.. source, .. destination]), sorted);
        Equal(HashReport.IPv6, 0xbd9955e5, sorted);
        Equal(HashReport.IPv6, ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, [.. xored, .. xored]), xor);
    }
}
