using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using static VnetHash.Tests.Rules.RuleAssert;

namespace VnetHash.Tests.Rules;

/// <summary>Symmetric hashing is an opt-in extension (DPDK SYMMETRIC_TOEPLITZ_SORT, Linux RXH_XFRM_SYM_XOR), never the default.</summary>
public class SymmetricModeTests
{
    private static HashResult Hash(byte[] frame, SymmetricMode mode) => new PacketHasher(Key, HashTypes.All, HashProfile.VirtioSpec, mode).Hash(frame, FrameKind.Ethernet);

    public static TheoryData<string, string> Pairs => new()
    {
        { "10.0.0.1", "10.0.0.200" },
        { "192.168.1.1", "8.8.8.8" },
        { "2001:db8::1", "2001:db8:ffff::2" },
    };

    private static (byte[] Forward, byte[] Reverse) Flow(string a, string b)
    {
        bool v6 = a.Contains(':');
        FrameBuilder Start(string s, string d) => v6 ? new FrameBuilder().Ethernet().IPv6(s, d) : new FrameBuilder().Ethernet().IPv4(s, d);
        return (Start(a, b).Tcp(40001, 443).Build(), Start(b, a).Tcp(443, 40001).Build());
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Sorted_tuple_gives_both_directions_the_same_hash(string a, string b)
    {
        (byte[] forward, byte[] reverse) = Flow(a, b);
        Assert.Equal(Hash(forward, SymmetricMode.SortedTuple), Hash(reverse, SymmetricMode.SortedTuple));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Sorted_tuple_equals_plain_toeplitz_of_the_ordered_tuple(string a, string b)
    {
        (byte[] forward, _) = Flow(a, b);
        bool swap = System.Net.IPAddress.Parse(a).GetAddressBytes().AsSpan().SequenceCompareTo(System.Net.IPAddress.Parse(b).GetAddressBytes()) > 0;
        uint expected = swap ? Tuple(b, a, 443, 40001) : Tuple(a, b, 443, 40001);
        Assert.Equal(expected, Hash(forward, SymmetricMode.SortedTuple).Value);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Xor_gives_both_directions_the_same_hash(string a, string b)
    {
        (byte[] forward, byte[] reverse) = Flow(a, b);
        Assert.Equal(Hash(forward, SymmetricMode.Xor), Hash(reverse, SymmetricMode.Xor));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Default_is_plain_toeplitz_and_not_symmetric(string a, string b)
    {
        (byte[] forward, byte[] reverse) = Flow(a, b);
        Assert.Equal(Tuple(a, b, 40001, 443), Hash(forward, SymmetricMode.None).Value);
        Assert.NotEqual(Hash(forward, SymmetricMode.None), Hash(reverse, SymmetricMode.None));
        Assert.Equal(SymmetricMode.None, new PacketHasher(Key, HashTypes.All).Symmetric);
    }

    [Fact]
    public void Report_type_is_kept_in_symmetric_modes()
    {
        (byte[] forward, _) = Flow("10.0.0.1", "10.0.0.2");
        Assert.Equal(HashReport.TcpV4, Hash(forward, SymmetricMode.Xor).Report);
    }
}
