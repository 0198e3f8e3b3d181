using System.Net;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Tests.Rss;

/// <summary>Every prediction is checked against the plain hash of the tuple, value by value.</summary>
public class RssPredictorTests
{
    public static TheoryData<SymmetricMode, HashProfile, int> Setups()
    {
        var data = new TheoryData<SymmetricMode, HashProfile, int>();
        foreach (SymmetricMode mode in Enum.GetValues<SymmetricMode>())
        {
            foreach (HashProfile profile in Enum.GetValues<HashProfile>())
            {
                for (int seed = 0; seed < 3; seed++)
                {
                    data.Add(mode, profile, seed);
                }
            }
        }

        return data;
    }

    private static (RssConfiguration Configuration, RssTuple Tuple, int Queues) Setup(SymmetricMode mode, HashProfile profile, int seed)
    {
        var random = new Random(seed);
        var key = new byte[40];
        random.NextBytes(key);
        int tableLength = 1 << random.Next(0, 9);
        ushort[] table = [.. Enumerable.Range(0, tableLength).Select(_ => (ushort)random.Next(9))];
        HashTypes types = seed == 2 ? HashTypes.IPv4 | HashTypes.TcpV6 | HashTypes.AllEx : HashTypes.All;
        var configuration = RssConfiguration.Create(types, key, table, (ushort)random.Next(9), profile, mode);
        (RssTuple tuple, _) = RssTupleTests.RandomFlow(random);
        return (configuration, tuple, 1 + random.Next(6));
    }

    /// <summary>Ports: all 65,536 values, each checked by hashing the whole tuple.</summary>
    [Theory]
    [MemberData(nameof(Setups))]
    public void Port_candidates_are_exactly_the_values_that_land(SymmetricMode mode, HashProfile profile, int seed)
    {
        (RssConfiguration configuration, RssTuple tuple, int queues) = Setup(mode, profile, seed);
        var steering = new RssSteering(configuration);
        foreach (TupleField field in new[] { TupleField.SourcePort, TupleField.DestinationPort })
        {
            var predictor = new RssPredictor(configuration, queues, tuple, field);
            var expected = new List<UInt128>[queues];
            for (int q = 0; q < queues; q++)
            {
                expected[q] = [];
            }

            for (int value = 0; value <= ushort.MaxValue; value++)
            {
                RssDecision decision = predictor.WithValue((UInt128)value).Decide(steering, queues);
                expected[decision.Queue].Add((UInt128)value);
                if (decision.Hash.HasHash)
                {
                    Assert.Equal(decision.Hash.Value, predictor.Hash((UInt128)value));
                }
            }

            for (int q = 0; q < queues; q++)
            {
                Assert.Equal(expected[q], predictor.Candidates(q, 0, ushort.MaxValue));
            }

            // A sub-range starting and ending at arbitrary values.
            Assert.Equal(expected[0].Where(v => v >= 1000 && v <= 5003), predictor.Candidates(0, 1000, 5003));
        }
    }

    /// <summary>Addresses: a window around the counterpart, so the sorted mode's swap point is crossed.</summary>
    [Theory]
    [MemberData(nameof(Setups))]
    public void Address_candidates_are_exactly_the_values_that_land(SymmetricMode mode, HashProfile profile, int seed)
    {
        (RssConfiguration configuration, RssTuple tuple, int queues) = Setup(mode, profile, seed);
        var steering = new RssSteering(configuration);
        foreach (TupleField field in new[] { TupleField.Source, TupleField.Destination })
        {
            var predictor = new RssPredictor(configuration, queues, tuple, field);
            UInt128 centre = new RssPredictor(configuration, queues, tuple, field == TupleField.Source ? TupleField.Destination : TupleField.Source).CurrentValue;
            UInt128 low = centre < 1500 ? 0 : centre - 1500;
            UInt128 high = predictor.MaxValue - centre < 1500 ? predictor.MaxValue : centre + 1500;
            int queue = seed % queues;
            var expected = new List<UInt128>();
            for (UInt128 value = low; ; value++)
            {
                if (predictor.WithValue(value).Decide(steering, queues).Queue == queue)
                {
                    expected.Add(value);
                }

                if (value == high)
                {
                    break;
                }
            }

            Assert.Equal(expected, predictor.Candidates(queue, low, high));
        }
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void Nearest_is_the_closest_value_that_lands(SymmetricMode mode, HashProfile profile, int seed)
    {
        (RssConfiguration configuration, RssTuple tuple, int queues) = Setup(mode, profile, seed);
        var predictor = new RssPredictor(configuration, queues, tuple, TupleField.SourcePort);
        var random = new Random(seed);
        for (int i = 0; i < 20; i++)
        {
            int queue = random.Next(queues);
            var wanted = (UInt128)random.Next(65536);
            List<UInt128> all = [.. predictor.Candidates(queue, 0, ushort.MaxValue)];
            UInt128? expected = all.Count == 0 ? null : all.OrderBy(v => v > wanted ? v - wanted : wanted - v).ThenBy(v => v).First();
            Assert.Equal(expected, predictor.Nearest(queue, wanted, 0, ushort.MaxValue));
        }
    }

    /// <summary>The complement lands the flow on the queue; it is missing only when no XOR of the field can.</summary>
    [Theory]
    [MemberData(nameof(Setups))]
    public void Complement_lands_and_exists_whenever_some_xor_does(SymmetricMode mode, HashProfile profile, int seed)
    {
        (RssConfiguration configuration, RssTuple tuple, int queues) = Setup(mode, profile, seed);
        var steering = new RssSteering(configuration);
        foreach (TupleField field in Enum.GetValues<TupleField>())
        {
            var predictor = new RssPredictor(configuration, queues, tuple, field);
            for (int queue = 0; queue < queues; queue++)
            {
                UInt128? complement = predictor.Complement(queue);
                if (complement is UInt128 d)
                {
                    Assert.Equal(queue, predictor.WithValue(predictor.CurrentValue ^ d).Decide(steering, queues).Queue);
                }
                else if (mode != SymmetricMode.SortedTuple && field is TupleField.SourcePort or TupleField.DestinationPort)
                {
                    Assert.DoesNotContain(Enumerable.Range(0, 65536), x => predictor.Queue(predictor.CurrentValue ^ (UInt128)x) == queue);
                }
            }
        }
    }

    [Fact]
    public void Complement_changes_only_the_low_bits_a_table_index_needs()
    {
        var configuration = RssConfiguration.RoundRobin(8, HashTypes.All, ToeplitzKey.MicrosoftKey, tableLength: 128);
        var tuple = new RssTuple(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.7"), TransportProtocol.Tcp, 40000, 443);
        var predictor = new RssPredictor(configuration, 8, tuple, TupleField.SourcePort);
        for (int queue = 0; queue < 8; queue++)
        {
            UInt128 complement = predictor.Complement(queue) ?? throw new Xunit.Sdk.XunitException($"no complement for queue {queue}");
            Assert.True(complement < 1 << 16);
            Assert.Equal(queue, predictor.Queue(predictor.CurrentValue ^ complement));
        }
    }

    [Fact]
    public void A_flow_without_a_hash_lands_wholly_on_the_unclassified_queue()
    {
        var configuration = RssConfiguration.Create(HashTypes.IPv6, ToeplitzKey.MicrosoftKey, [0, 1, 2, 3], unclassifiedQueue: 2);
        var tuple = new RssTuple(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.7"), TransportProtocol.Udp, 1, 2);
        var predictor = new RssPredictor(configuration, 4, tuple, TupleField.DestinationPort);
        Assert.Equal(HashReport.None, predictor.Report);
        Assert.Equal(65536, predictor.Candidates(2, 0, ushort.MaxValue).Count());
        Assert.Empty(predictor.Candidates(1, 0, ushort.MaxValue));
        Assert.Null(predictor.Complement(1));
    }

    [Fact]
    public void Ports_of_an_address_only_type_do_not_move_the_flow()
    {
        var configuration = RssConfiguration.RoundRobin(4, HashTypes.IPv4, ToeplitzKey.MicrosoftKey);
        var tuple = new RssTuple(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.7"), TransportProtocol.Udp, 1, 2);
        var predictor = new RssPredictor(configuration, 4, tuple, TupleField.SourcePort);
        Assert.False(predictor.FieldIsHashed);
        int queue = predictor.Queue(1);
        Assert.Equal(65536, predictor.Candidates(queue, 0, ushort.MaxValue).Count());
    }

    [Fact]
    public void Bad_ranges_and_queues_are_refused()
    {
        var configuration = RssConfiguration.RoundRobin(4);
        var tuple = new RssTuple(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.7"), TransportProtocol.Tcp, 1, 2);
        var predictor = new RssPredictor(configuration, 4, tuple, TupleField.SourcePort);
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Candidates(0, 0, 65536).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Candidates(0, 10, 9).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Candidates(4, 0, 9).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RssPredictor(configuration, 0, tuple, TupleField.Source));
    }
}
