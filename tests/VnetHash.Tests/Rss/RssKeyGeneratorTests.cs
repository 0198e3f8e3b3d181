using System.Net;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Tests.Rss;

/// <summary>Generated keys are measured: how values of a field spread over the table, and whether both directions hash alike.</summary>
public class RssKeyGeneratorTests
{
    [Theory]
    [InlineData(0, 128, 1024, 65535)]
    [InlineData(1, 128, 0, 65535)]
    [InlineData(2, 512, 32768, 60999)]
    [InlineData(3, 16, 7, 70)]
    public void Source_ports_spread_evenly_over_the_table(int seed, int tableLength, int low, int high)
    {
        InputBits sport = InputBits.Of(HashReport.TcpV4, TupleField.SourcePort);
        byte[] key = RssKeyGenerator.Spreading(40, tableLength, [sport], random: new Random(seed));
        var hasher = new ToeplitzKey(key);
        var counts = new int[tableLength];
        Span<byte> input = stackalloc byte[12];
        new byte[] { 192, 0, 2, 1, 198, 51, 100, 7 }.CopyTo(input);
        input[10] = 0x01;
        input[11] = 0xbb;
        for (int port = low; port <= high; port++)
        {
            input[8] = (byte)(port >> 8);
            input[9] = (byte)port;
            counts[hasher.Hash(input) & (tableLength - 1)]++;
        }

        // Whole aligned blocks of tableLength ports visit every entry once; the two partial ends add at most two.
        int whole = (high - low + 1) / tableLength - 1;
        Assert.All(counts, c => Assert.InRange(c, Math.Max(0, whole), whole + 3));
        Assert.Equal(RssKeyGenerator.SpreadRank(key, sport, int.Log2(tableLength)), int.Log2(tableLength));
    }

    [Fact]
    public void Ipv6_source_addresses_spread_evenly_with_a_spreading_key()
    {
        InputBits source = InputBits.Of(HashReport.IPv6, TupleField.Source);
        byte[] key = RssKeyGenerator.Spreading(40, 256, [source, InputBits.Of(HashReport.UdpV6, TupleField.DestinationPort)], random: new Random(5));
        var hasher = new ToeplitzKey(key);
        var counts = new int[256];
        var input = new byte[32];
        IPAddress.Parse("2001:db8::").GetAddressBytes().CopyTo(input, 0);
        IPAddress.Parse("2001:db8:1::53").GetAddressBytes().CopyTo(input, 16);
        for (int low = 0; low < 4096; low++)
        {
            input[14] = (byte)(low >> 8);
            input[15] = (byte)low;
            counts[hasher.Hash(input) & 255]++;
        }

        Assert.All(counts, c => Assert.Equal(16, c));
    }

    /// <summary>The key most NICs ship with does not spread ports this way: the test above can fail.</summary>
    [Fact]
    public void The_rank_test_tells_keys_apart()
    {
        InputBits sport = InputBits.Of(HashReport.TcpV4, TupleField.SourcePort);
        var zeroWindows = new byte[40];
        zeroWindows[0] = 0xff;
        Assert.Equal(0, RssKeyGenerator.SpreadRank(zeroWindows, sport, 7));
        byte[] key = RssKeyGenerator.Spreading(40, 128, [sport], random: new Random(9));
        Assert.Equal(7, RssKeyGenerator.SpreadRank(key, sport, 7));
    }

    public static TheoryData<HashTypes> SymmetricTypes => new() { HashTypes.All, HashTypes.IPv4, HashTypes.TcpV4 | HashTypes.UdpV4, HashTypes.IPv6 | HashTypes.TcpV6, HashTypes.UdpV6 | HashTypes.IPv4 };

    [Theory]
    [MemberData(nameof(SymmetricTypes))]
    public void Symmetric_keys_hash_both_directions_alike(HashTypes types)
    {
        var random = new Random((int)types);
        byte[] key = RssKeyGenerator.Symmetric(40, types, random);
        Assert.Contains(key, b => b != 0);
        AssertSymmetric(key, types, random, 500);
    }

    /// <summary>The repeated-6d5a key belongs to the family the generator draws from: it meets every tie.</summary>
    [Fact]
    public void The_6d5a_key_is_symmetric_for_every_type()
    {
        byte[] key = [.. Enumerable.Repeat(new byte[] { 0x6d, 0x5a }, 20).SelectMany(b => b)];
        AssertSymmetric(key, HashTypes.All, new Random(3), 200);
    }

    [Fact]
    public void A_plain_random_key_is_not_symmetric()
    {
        var key = new byte[40];
        new Random(1).NextBytes(key);
        (HashResult forward, HashResult reverse) = BothDirections(key, HashTypes.All, Tcp4);
        Assert.NotEqual(forward, reverse);
    }

    [Fact]
    public void Symmetric_and_spreading_together()
    {
        InputBits sport = InputBits.Of(HashReport.TcpV4, TupleField.SourcePort);
        byte[] key = RssKeyGenerator.Spreading(40, 64, HashTypes.TcpV4, [TupleField.SourcePort], symmetric: true, new Random(4));
        Assert.Equal(6, RssKeyGenerator.SpreadRank(key, sport, 6));
        (HashResult forward, HashResult reverse) = BothDirections(key, HashTypes.TcpV4, Tcp4);
        Assert.Equal(forward, reverse);
    }

    /// <summary>The public form finds the fields of every enabled type that hashes them, and refuses fields none hashes.</summary>
    [Fact]
    public void Spreading_by_field_covers_every_enabled_type()
    {
        byte[] key = RssKeyGenerator.Spreading(40, 128, HashTypes.TcpV4 | HashTypes.UdpV6, [TupleField.DestinationPort], random: new Random(6));
        Assert.Equal(7, RssKeyGenerator.SpreadRank(key, InputBits.Of(HashReport.TcpV4, TupleField.DestinationPort), 7));
        Assert.Equal(7, RssKeyGenerator.SpreadRank(key, InputBits.Of(HashReport.UdpV6, TupleField.DestinationPort), 7));
        Assert.Throws<ArgumentException>(() => RssKeyGenerator.Spreading(40, 128, HashTypes.IPv4, [TupleField.SourcePort]));
    }

    [Fact]
    public void Impossible_requests_are_refused()
    {
        InputBits sport = InputBits.Of(HashReport.TcpV4, TupleField.SourcePort);
        Assert.Throws<ArgumentException>(() => RssKeyGenerator.Spreading(40, 1 << 17, [sport]));
        Assert.Throws<ArgumentException>(() => RssKeyGenerator.Spreading(40, 100, [sport]));
        Assert.Throws<ArgumentException>(() => RssKeyGenerator.Spreading(12, 128, [sport]));
        Assert.Throws<ArgumentException>(() => RssKeyGenerator.Symmetric(16, HashTypes.TcpV6));
        Assert.Throws<ArgumentException>(() => InputBits.Of(HashReport.IPv4, TupleField.SourcePort));
    }

    private static readonly RssTuple Tcp4 = new(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.7"), TransportProtocol.Tcp, 40000, 443);

    /// <summary>Random flows of every kind hash alike in both directions under <paramref name="key"/>.</summary>
    private static void AssertSymmetric(byte[] key, HashTypes types, Random random, int flows)
    {
        for (int i = 0; i < flows; i++)
        {
            (RssTuple tuple, _) = RssTupleTests.RandomFlow(random);
            (HashResult forward, HashResult reverse) = BothDirections(key, types, new RssTuple(tuple.Source, tuple.Destination, tuple.Transport, tuple.SourcePort, tuple.DestinationPort));
            Assert.Equal(forward, reverse);
        }
    }

    private static (HashResult Forward, HashResult Reverse) BothDirections(byte[] key, HashTypes types, RssTuple flow)
    {
        PacketHasher hasher = new RssSteering(RssConfiguration.Create(types, key, [0])).Hasher;
        var reverse = new RssTuple(flow.Destination, flow.Source, flow.Transport, flow.DestinationPort, flow.SourcePort);
        return (flow.Hash(hasher), reverse.Hash(hasher));
    }
}
