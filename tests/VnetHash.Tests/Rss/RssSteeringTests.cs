using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Tests.Rss;

/// <summary>Queue choice as the series makes it (kernel-series.md §4.2): table[hash &amp; mask] % queues, unclassified % queues, 0 queues → 0.</summary>
public class RssSteeringTests
{
    private static readonly RssSteering Steering = new(RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, [3, 4, 7, 1], unclassifiedQueue: 5));

    [Theory]
    [InlineData(0u, 3, 0)]
    [InlineData(1u, 3, 1)]
    [InlineData(2u, 3, 1)]
    [InlineData(3u, 3, 1)]
    [InlineData(0xFFFF_FFFEu, 4, 3)]
    [InlineData(0xFFFF_FFFDu, 5, 4)]
    public void Hashed_packets_take_the_table_entry_of_the_masked_hash_modulo_the_queues(uint hash, int queues, int expected) =>
        Assert.Equal(expected, Steering.SelectQueue(new HashResult(hash, HashReport.IPv4), queues));

    [Theory]
    [InlineData(3, 2)]
    [InlineData(5, 0)]
    [InlineData(8, 5)]
    public void Unclassified_packets_take_the_unclassified_queue_modulo_the_queues(int queues, int expected) =>
        Assert.Equal(expected, Steering.SelectQueue(HashResult.None, queues));

    [Fact]
    public void No_attached_queue_means_queue_zero()
    {
        Assert.Equal(0, Steering.SelectQueue(new HashResult(3, HashReport.IPv4), 0));
        Assert.Equal(0, Steering.SelectQueue(HashResult.None, 0));
    }

    [Fact]
    public void Decide_returns_hash_report_and_queue_in_one_call()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("66.9.149.187", "161.142.100.80").Tcp(2794, 1766).Build();
        RssDecision decision = Steering.Decide(frame, FrameKind.Ethernet, 8);
        Assert.Equal(new HashResult(0x51ccc178, HashReport.TcpV4), decision.Hash);
        Assert.Equal(new ushort[] { 3, 4, 7, 1 }[0x51ccc178 & 3] % 8, decision.Queue);
    }

    [Fact]
    public void Decide_writes_the_report_into_the_20_byte_header_little_endian()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("172.17.0.0", "172.17.0.1").Payload([], 253).Build();
        byte[] header = new byte[20];
        header[10] = 0xAA;
        RssDecision decision = Steering.Decide(frame, FrameKind.Ethernet, 3, header);
        Assert.Equal(new HashResult(0x6e45d952, HashReport.IPv4), decision.Hash);
        Assert.Equal(Convert.FromHexString("00000000000000000000AA0052d9456e01000000"), header);
    }

    [Fact]
    public void Decide_refuses_a_header_too_short_for_the_report() =>
        Assert.ThrowsAny<ArgumentException>(() => Steering.Decide(new byte[60], FrameKind.Ethernet, 3, new byte[12]));
}
