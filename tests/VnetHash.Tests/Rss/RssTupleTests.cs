using System.Net;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tests.Vectors;
using VnetHash.Traffic;

namespace VnetHash.Tests.Rss;

/// <summary>A flow given by its fields hashes and steers exactly as a frame carrying those fields.</summary>
public class RssTupleTests
{
    public static TheoryData<PublicVector> Vectors()
    {
        var data = new TheoryData<PublicVector>();
        foreach (PublicVector vector in PublicVector.All.Where(v => v.SourceIP is not null))
        {
            data.Add(vector);
        }

        return data;
    }

    /// <summary>Microsoft's verification suite and the tun selftests, from the addresses and ports alone.</summary>
    [Theory]
    [MemberData(nameof(Vectors))]
    public void Every_public_vector_hashes_from_its_tuple(PublicVector vector)
    {
        TransportProtocol transport = vector.IPProtocol switch
        {
            6 => TransportProtocol.Tcp,
            17 => TransportProtocol.Udp,
            null when vector.SourcePort is not null => TransportProtocol.Tcp,
            _ => TransportProtocol.None,
        };
        var tuple = new RssTuple(IPAddress.Parse(vector.SourceIP!), IPAddress.Parse(vector.DestinationIP!), transport, (ushort)(vector.SourcePort ?? 9), (ushort)(vector.DestinationPort ?? 9));
        HashTypes types = vector.HashTypes is uint mask ? (HashTypes)mask : HashTypes.All;
        var configuration = RssConfiguration.Create(types, vector.Key, vector.IndirectionTable ?? [0], vector.UnclassifiedQueue ?? 0);
        RssDecision decision = tuple.Decide(new RssSteering(configuration), vector.Queues ?? 1);
        Assert.Equal(vector.ExpectedHash, decision.Hash.Value);
        if (vector.IsSelftest)
        {
            Assert.Equal(vector.ExpectedReport, (int)decision.Hash.Report);
            Assert.Equal(vector.ExpectedQueue, decision.Queue);
        }
    }

    public static TheoryData<HashTypes, HashProfile, SymmetricMode> Rules()
    {
        var data = new TheoryData<HashTypes, HashProfile, SymmetricMode>();
        foreach (HashTypes types in new[] { HashTypes.All, HashTypes.AllNonEx, HashTypes.IPv4 | HashTypes.IPv6, HashTypes.TcpV4 | HashTypes.UdpV6 | HashTypes.IPv6Ex, HashTypes.AllEx | HashTypes.IPv4 })
        {
            foreach (HashProfile profile in Enum.GetValues<HashProfile>())
            {
                foreach (SymmetricMode mode in Enum.GetValues<SymmetricMode>())
                {
                    data.Add(types, profile, mode);
                }
            }
        }

        return data;
    }

    /// <summary>The tuple and the frame built from it agree on hash, report and queue under every rule set.</summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public void Tuple_and_frame_agree(HashTypes types, HashProfile profile, SymmetricMode mode)
    {
        var random = new Random(17);
        var key = new byte[40];
        random.NextBytes(key);
        ushort[] table = [.. Enumerable.Range(0, 64).Select(_ => (ushort)random.Next(7))];
        var steering = new RssSteering(RssConfiguration.Create(types, key, table, 3, profile, mode));
        for (int i = 0; i < 300; i++)
        {
            (RssTuple tuple, byte[] frame) = RandomFlow(random);
            Assert.Equal(steering.Decide(frame, FrameKind.Ethernet, 5), tuple.Decide(steering, 5));
        }
    }

    [Fact]
    public void Mixed_families_and_home_addresses_on_ipv4_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RssTuple(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("::1")));
        Assert.Throws<ArgumentException>(() => new RssTuple(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), homeAddress: IPAddress.Parse("::1")));
        Assert.Throws<ArgumentException>(() => new RssTuple(IPAddress.Parse("::2"), IPAddress.Parse("::1"), routingAddress: IPAddress.Parse("10.0.0.1")));
    }

    internal static (RssTuple Tuple, byte[] Frame) RandomFlow(Random random)
    {
        bool v6 = random.Next(2) == 0;
        IPAddress source = RandomAddress(random, v6);
        IPAddress destination = RandomAddress(random, v6);
        var transport = (TransportProtocol)new[] { 0, 6, 17 }[random.Next(3)];
        var sourcePort = (ushort)random.Next(65536);
        var destinationPort = (ushort)random.Next(65536);
        IPAddress? home = v6 && random.Next(3) == 0 ? RandomAddress(random, true) : null;
        IPAddress? routing = v6 && random.Next(3) == 0 ? RandomAddress(random, true) : null;
        var builder = new FrameBuilder().Ethernet();
        builder = v6 ? builder.IPv6(source.ToString(), destination.ToString()) : builder.IPv4(source.ToString(), destination.ToString());
        if (home is not null)
        {
            builder = builder.DestinationOptions(home.ToString());
        }

        if (routing is not null)
        {
            builder = builder.Routing(routing.ToString());
        }

        builder = transport switch
        {
            TransportProtocol.Tcp => builder.Tcp(sourcePort, destinationPort),
            TransportProtocol.Udp => builder.Udp(sourcePort, destinationPort),
            _ => builder.Payload(8),
        };
        return (new RssTuple(source, destination, transport, sourcePort, destinationPort, home, routing), builder.Build());
    }

    internal static IPAddress RandomAddress(Random random, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        random.NextBytes(bytes);
        return new IPAddress(bytes);
    }
}
