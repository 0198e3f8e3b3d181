using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Tests.Vectors;

/// <summary>Every public vector through the whole frame path: dissector, rules, Toeplitz and queue choice.</summary>
public class PublicVectorTests
{
    /// <summary>Rows that give the Toeplitz input bytes (all but the selftest's unclassified row).</summary>
    public static TheoryData<int> RowsWithInput() => RowsWhere(v => v.InputHex is not null);

    /// <summary>Microsoft's verification suite: a tuple, its key and its hash.</summary>
    public static TheoryData<int> MicrosoftRows() => RowsWhere(v => !v.IsSelftest);

    /// <summary>The tun selftest's rows: a whole RSS configuration, a frame, its report and its queue.</summary>
    public static TheoryData<int> SelftestRows() => RowsWhere(v => v.IsSelftest);

    [Fact]
    public void Every_row_is_checked_by_the_theories_of_its_kind()
    {
        Assert.Equal(23, PublicVector.All.Count);
        Assert.Equal(PublicVector.All.Count, MicrosoftRows().Count + SelftestRows().Count);

        // The one row without input bytes is a selftest frame that gets no hash; its hash 0 is checked there.
        PublicVector noInput = Assert.Single(PublicVector.All, v => v.InputHex is null);
        Assert.True(noInput.IsSelftest);
        Assert.Equal(0u, noInput.ExpectedHash);
        Assert.Equal(PublicVector.All.Count - 1, RowsWithInput().Count);
    }

    [Theory]
    [MemberData(nameof(RowsWithInput))]
    public void Toeplitz_input_bytes_hash_to_the_published_value(int row)
    {
        PublicVector vector = PublicVector.All[row];
        byte[] input = Convert.FromHexString(vector.InputHex!);
        Assert.Equal(vector.ExpectedHash, ToeplitzReference.Hash(vector.Key, input));
        Assert.Equal(vector.ExpectedHash, new ToeplitzKey(vector.Key).Hash(input));
    }

    [Theory]
    [MemberData(nameof(MicrosoftRows))]
    public void Frame_of_the_vector_gets_the_published_hash_and_report(int row)
    {
        PublicVector vector = PublicVector.All[row];

        // Microsoft rows: the TCP rows are also the UDP expectations (same input bytes, virtio spec 5.1.6.4.3).
        var hasher = new PacketHasher(new ToeplitzKey(vector.Key), HashTypes.All);
        bool v6 = vector.HashType!.EndsWith("v6", StringComparison.Ordinal);
        bool ports = vector.HashType.StartsWith("TCP", StringComparison.Ordinal);
        HashResult tcp = hasher.Hash(VectorFrames.Build(vector), FrameKind.Ethernet);
        Assert.Equal(vector.ExpectedHash, tcp.Value);
        Assert.Equal(ports ? (v6 ? HashReport.TcpV6 : HashReport.TcpV4) : (v6 ? HashReport.IPv6 : HashReport.IPv4), tcp.Report);
        if (ports)
        {
            HashResult udp = hasher.Hash(VectorFrames.Build(vector, udp: true), FrameKind.Ethernet);
            Assert.Equal(new HashResult(vector.ExpectedHash, v6 ? HashReport.UdpV6 : HashReport.UdpV4), udp);
        }
    }

    [Theory]
    [MemberData(nameof(SelftestRows))]
    public void Tun_selftest_rows_get_the_expected_hash_report_and_queue_in_both_profiles(int row)
    {
        PublicVector vector = PublicVector.All[row];
        foreach (HashProfile profile in new[] { HashProfile.VirtioSpec, HashProfile.LinuxTun })
        {
            var config = RssConfiguration.Create((HashTypes)vector.HashTypes!.Value, vector.Key, vector.IndirectionTable, vector.UnclassifiedQueue!.Value, profile);
            RssDecision decision = new RssSteering(config).Decide(VectorFrames.Build(vector), FrameKind.Ethernet, vector.Queues!.Value);
            Assert.Equal((HashReport)vector.ExpectedReport!.Value, decision.Hash.Report);
            Assert.Equal(vector.ExpectedHash, decision.Hash.Value);
            Assert.Equal(vector.ExpectedQueue!.Value, decision.Queue);
        }
    }

    private static TheoryData<int> RowsWhere(Func<PublicVector, bool> kind)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < PublicVector.All.Count; i++)
        {
            if (kind(PublicVector.All[i]))
            {
                data.Add(i);
            }
        }

        return data;
    }
}
