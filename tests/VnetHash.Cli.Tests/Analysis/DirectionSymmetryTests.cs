using VnetHash.Cli.Analysis;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>Direction symmetry: connections seen both ways, and how many keep one queue both ways.</summary>
public sealed class DirectionSymmetryTests
{
    [Theory]
    [InlineData("tcp", "192.0.2.1", "198.51.100.7")]
    [InlineData("udp", "2001:db8::9", "2001:db8::1")]
    [InlineData("none", "192.0.2.1", "198.51.100.7")]
    [InlineData("tcp", "192.0.2.1", "192.0.2.1")]
    [InlineData("udp", "2001:db8::1", "2001:db8::1")]
    [InlineData("tcp", "2001:db8::1", "2001:db9::1")]
    public void Both_directions_of_a_connection_share_its_key_and_differ_in_bit_0(string proto, string a, string b)
    {
        ulong forward = Connection(proto, a, b, 40000, 443);
        ulong reverse = Connection(proto, b, a, 443, 40000);
        Assert.Equal(forward >> 1, reverse >> 1);
        Assert.NotEqual(forward & 1, reverse & 1);

        // Another source port is another connection; without ports the addresses alone make it.
        Assert.Equal(proto == "none", forward >> 1 == Connection(proto, a, b, 40001, 443) >> 1);
    }

    [Theory]
    [InlineData("192.0.2.1", "198.51.100.7")]
    [InlineData("2001:db8::1:2:3:4", "2001:db8::5:6:7:8")]
    public void Tuples_that_differ_in_any_one_field_are_different_connections(string source, string destination)
    {
        // Every bit of either address, of either port, and the protocol: the connection key must tell each apart.
        var keys = new HashSet<ulong>();
        int tuples = 0;
        byte[] a = System.Net.IPAddress.Parse(source).GetAddressBytes();
        byte[] b = System.Net.IPAddress.Parse(destination).GetAddressBytes();
        foreach (string proto in new[] { "tcp", "udp" })
        {
            keys.Add(Connection(proto, source, destination, 40000, 443) >> 1);
            tuples++;
            for (int bit = 0; bit < 8 * a.Length; bit++)
            {
                keys.Add(Connection(proto, Flip(a, bit), destination, 40000, 443) >> 1);
                keys.Add(Connection(proto, source, Flip(b, bit), 40000, 443) >> 1);
                tuples += 2;
            }

            for (int bit = 0; bit < 16; bit++)
            {
                keys.Add(Connection(proto, source, destination, (ushort)(40000 ^ (1 << bit)), 443) >> 1);
                keys.Add(Connection(proto, source, destination, 40000, (ushort)(443 ^ (1 << bit))) >> 1);
                tuples += 2;
            }
        }

        Assert.Equal(tuples, keys.Count);
    }

    [Fact]
    public void Tuples_a_linear_key_would_confuse_stay_apart()
    {
        // Two connections whose fields differ by a short vector of a lattice: a key that only multiplied the fields by
        // constants and summed them gave both the same value. The key's steps are not linear, so they differ.
        ulong first = Connection("tcp", "10.0.0.1", "10.200.0.1", 40035, 1000);
        ulong second = Connection("tcp", "10.38.14.25", "10.197.118.152", 40000, 1242);
        Assert.NotEqual(first >> 1, second >> 1);

        // A block of neighbouring tuples, the shape real traffic has: 65,536 addresses and ports, all apart.
        var keys = new HashSet<ulong>();
        for (int host = 0; host < 1024; host++)
        {
            for (ushort port = 40000; port < 40064; port++)
            {
                keys.Add(Connection("tcp", $"10.0.{host / 256}.{host % 256}", "192.0.2.1", port, 443) >> 1);
            }
        }

        Assert.Equal(1024 * 64, keys.Count);
    }

    [Fact]
    public void Addresses_with_zero_high_words_and_their_ipv4_twins_stay_apart()
    {
        // IPv6 addresses whose first 64 bits are zero (::a.b.c.d, ::ffff:a.b.c.d) take the IPv6 path whole, and
        // differ from the IPv4 tuple of the same 32-bit addresses (the IP version is part of the key).
        var keys = new HashSet<ulong>();
        int tuples = 0;
        for (int host = 1; host <= 64; host++)
        {
            foreach (string prefix in new[] { "::", "::ffff:", "" })
            {
                for (ushort port = 40000; port < 40016; port++)
                {
                    keys.Add(Connection("tcp", $"{prefix}10.0.0.{host}", $"{prefix}192.0.2.1", port, 443) >> 1);
                    tuples++;
                }
            }
        }

        Assert.Equal(tuples, keys.Count);
    }

    [Fact]
    public void Counts_are_exact_below_the_limit()
    {
        var symmetry = new DirectionSymmetry();
        for (ulong c = 0; c < 100; c++)
        {
            // Add tells whether the direction was seen before on the same queue.
            ulong key = Mix(c) & ~1UL;
            Assert.False(symmetry.Add(key, 3));
            Assert.True(symmetry.Add(key, 3));
            Assert.False(symmetry.Add(key, 2));
            if (c < 30)
            {
                Assert.False(symmetry.Add(key | 1, 3));
                Assert.True(symmetry.Add(key | 1, 3));
            }
            else if (c < 80)
            {
                // A later packet of a direction does not move it: the first one counts.
                Assert.False(symmetry.Add(key | 1, 5));
                Assert.False(symmetry.Add(key | 1, 3));
                Assert.True(symmetry.Add(key | 1, 5));
            }
        }

        Assert.Equal(0, symmetry.SampleBits);
        Assert.Equal(80, symmetry.BothDirections);
        Assert.Equal(30, symmetry.SameQueue);
        Assert.Equal(30.0 / 80, symmetry.Share);
        Assert.Null(new DirectionSymmetry().Share);
    }

    [Fact]
    public void The_table_starts_small_and_grows_keeping_every_connection_and_its_queues()
    {
        var symmetry = new DirectionSymmetry();
        Assert.Equal(512, symmetry.Slots);
        const int Connections = 5000;
        for (ulong c = 0; c < Connections; c++)
        {
            ulong key = Mix(c) & ~1UL;
            symmetry.Add(key, (int)(c % 4));
            if (c % 5 != 0)
            {
                symmetry.Add(key | 1, (int)(c % 5 == 1 ? (c + 1) % 4 : c % 4));
            }

            // Doubled only when more than half the slots would be taken: the smallest size from 512 up that holds them so.
            Assert.Equal(Math.Max(512, (int)System.Numerics.BitOperations.RoundUpToPowerOf2(2 * (uint)(c + 1))), symmetry.Slots);
        }

        // Grown to the smallest size that holds them at half load: the limit's own size.
        Assert.Equal(16384, symmetry.Slots);
        Assert.Equal(0, symmetry.SampleBits);
        Assert.Equal(Connections * 4 / 5, symmetry.BothDirections);
        Assert.Equal(Connections * 3 / 5, symmetry.SameQueue);

        // Every connection kept its directions' first queues through the moves.
        for (ulong c = 0; c < Connections; c++)
        {
            ulong key = Mix(c) & ~1UL;
            Assert.True(symmetry.Add(key, (int)(c % 4)));
            if (c % 5 != 0)
            {
                Assert.Equal(c % 5 != 1, symmetry.Add(key | 1, (int)(c % 4)));
            }
        }
    }

    [Fact]
    public void Above_the_limit_a_sample_keeps_memory_fixed_and_the_share_close()
    {
        var symmetry = new DirectionSymmetry(limit: 2000);
        var random = new Random(7);
        for (ulong c = 0; c < 100_000; c++)
        {
            ulong key = Mix(c) & ~1UL;
            symmetry.Add(key, 0);
            symmetry.Add(key | 1, random.Next(4));
        }

        Assert.InRange(symmetry.SampleBits, 6, 7);

        // Sampling keeps the table the limit's size (2,000 rounded up to a power of two, twice): it never grows past it.
        Assert.Equal(4096, symmetry.Slots);

        // A connection outside the sample is never known: its packets are not recorded.
        ulong outside = Enumerable.Range(0, 1000).Select(c => Mix((ulong)c) & ~1UL).First(k => (k >> 1) >> (63 - symmetry.SampleBits) != 0);
        Assert.False(symmetry.Add(outside, 0));
        Assert.False(symmetry.Add(outside, 0));
        Assert.InRange(symmetry.BothDirections, 700, 2000);
        Assert.InRange(symmetry.Share!.Value, 0.2, 0.3);
    }

    [Fact]
    public void A_power_of_two_limit_fills_the_table_to_half_and_samples_beyond_it()
    {
        var symmetry = new DirectionSymmetry(limit: 2048);
        for (ulong c = 0; c < 10_000; c++)
        {
            symmetry.Add(Mix(c) & ~1UL, 0);
        }

        Assert.Equal(4096, symmetry.Slots);
        Assert.True(symmetry.SampleBits > 0);
    }

    [Fact]
    public void Merging_two_readers_gives_what_one_saw()
    {
        var whole = new DirectionSymmetry(limit: 500);
        var first = new DirectionSymmetry(limit: 500);
        var second = new DirectionSymmetry(limit: 500);
        var random = new Random(3);
        for (ulong c = 0; c < 3000; c++)
        {
            ulong key = Mix(c) & ~1UL;
            int queue = random.Next(2);
            whole.Add(key, 0);
            whole.Add(key | 1, queue);
            (c % 3 == 0 ? first : second).Add(key, 0);
            (c % 2 == 0 ? first : second).Add(key | 1, queue);
        }

        first.Merge(second);
        Assert.Equal(whole.SampleBits, first.SampleBits);
        Assert.Equal(whole.BothDirections, first.BothDirections);
        Assert.Equal(whole.SameQueue, first.SameQueue);
    }

    private static ulong Connection(string proto, string source, string destination, ushort sourcePort, ushort destinationPort)
    {
        var frame = new FrameBuilder().Ethernet();
        frame = source.Contains(':') ? frame.IPv6(source, destination) : frame.IPv4(source, destination);
        frame = proto switch
        {
            "tcp" => frame.Tcp(sourcePort, destinationPort),
            "udp" => frame.Udp(sourcePort, destinationPort),
            _ => frame.Payload(8, protocol: 1),
        };
        byte[] bytes = frame.Build();
        PacketInfo info = PacketDissector.Dissect(bytes, FrameKind.Ethernet);
        return FlowKey.Connection(bytes, in info);
    }

    private static string Flip(byte[] address, int bit)
    {
        byte[] flipped = [.. address];
        flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        return new System.Net.IPAddress(flipped).ToString();
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9e3779b97f4a7c15UL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
