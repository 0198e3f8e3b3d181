using CsCheck;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Tests.Packets;

/// <summary>
/// Arbitrary bytes given as a frame never throw and never read outside the span (spans are bounds-checked, so any
/// read past the end would throw); truncating a valid frame anywhere is handled the same way. Every answer is
/// checked against the Toeplitz reference and the queue formula.
/// </summary>
public class DissectorPropertyTests
{
    private static readonly RssSteering[] Steerings =
    [
        new(RssConfiguration.RoundRobin(4)),
        new(RssConfiguration.RoundRobin(4, profile: HashProfile.LinuxTun)),
        new(RssConfiguration.RoundRobin(3).WithSymmetric(SymmetricMode.SortedTuple)),
    ];

    // Not only "does not throw": each answer is checked against the bitwise Toeplitz reference over the tuple the
    // report type names, and against the spec's queue formula.
    private static void SteerEverywhere(byte[] frame)
    {
        foreach (RssSteering steering in Steerings)
        {
            RssConfiguration configuration = steering.Configuration;
            foreach (FrameKind kind in new[] { FrameKind.Ethernet, FrameKind.IP })
            {
                RssDecision decision = steering.Decide(frame, kind, 4);
                Assert.True(decision.Hash.HasHash || decision.Hash.Value == 0);
                int entry = decision.Hash.HasHash ? configuration.IndirectionTable[(int)(decision.Hash.Value & (uint)configuration.IndirectionTableMask)] : configuration.UnclassifiedQueue;
                Assert.Equal(entry % 4, decision.Queue);
                if (decision.Hash.HasHash && configuration.Symmetric == SymmetricMode.None)
                {
                    Assert.Equal(ReferenceHash(configuration, frame, kind, decision.Hash.Report), decision.Hash.Value);
                }
            }
        }
    }

    /// <summary>virtio spec 5.1.6.4.3: source and destination (home and type-2 routing addresses for the _EX types), then the ports.</summary>
    private static uint ReferenceHash(RssConfiguration configuration, byte[] frame, FrameKind kind, HashReport report)
    {
        PacketInfo info = PacketDissector.Dissect(frame, kind, configuration.Profile);
        int length = info.AddressLength;
        bool ex = report is HashReport.IPv6Ex or HashReport.TcpV6Ex or HashReport.UdpV6Ex;
        int source = ex && info.HomeAddressOffset >= 0 ? info.HomeAddressOffset : info.AddressOffset;
        int destination = ex && info.RoutingAddressOffset >= 0 ? info.RoutingAddressOffset : info.AddressOffset + length;
        byte[] ports = HashInput.Length(report) is HashInput.IPv4WithPortsLength or HashInput.IPv6WithPortsLength
            ? info.PortsOffset >= 0 ? frame[info.PortsOffset..(info.PortsOffset + 4)] : new byte[4]
            : [];
        byte[] input = [.. frame.AsSpan(source, length), .. frame.AsSpan(destination, length), .. ports];
        Assert.Equal(HashInput.Length(report), input.Length);
        return ToeplitzReference.Hash(configuration.Key, input);
    }

    [Fact]
    public void Arbitrary_bytes_never_throw() =>
        Gen.Byte.Array[0, 200].Sample(SteerEverywhere, iter: 20000);

    [Fact]
    public void Bytes_behind_plausible_headers_never_throw()
    {
        // Random bytes rarely look like IP; put valid-looking Ethernet, IP and extension-header prefixes in front.
        Gen<byte[]> prefix = Gen.OneOf<byte[]>(
            Convert.FromHexString("020000000001020000000002080045"),
            Convert.FromHexString("02000000000102000000000286dd60"),
            Convert.FromHexString("0200000000010200000000028100000186dd6000000000100040"),
            Convert.FromHexString("02000000000102000000000288641100000100220021"),
            Convert.FromHexString("45"),
            Convert.FromHexString("60000000002000"));
        Gen.Select(prefix, Gen.Byte.Array[0, 120]).Sample((p, rest) => SteerEverywhere([.. p, .. rest]), iter: 20000);
    }

    [Fact]
    public void Every_truncation_of_rich_frames_is_handled()
    {
        byte[][] frames =
        [
            new FrameBuilder().Ethernet().Vlan(1).IPv6("2001:db8::1", "2001:db8::2").HopByHop().Routing("2001:db8::9").DestinationOptions("2001:db8::8").Fragment().Tcp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv4("1.1.1.1", "2.2.2.2", options: [1, 1, 1, 0]).Udp(1, 2).Build(),
            new FrameBuilder().Ethernet().IPv4("1.1.1.1", "2.2.2.2").IPv6("fd00::1", "fd00::2").AuthenticationHeader().Tcp(1, 2).Build(),
        ];
        foreach (byte[] frame in frames)
        {
            for (int length = 0; length <= frame.Length; length++)
            {
                SteerEverywhere(frame[..length]);
            }
        }
    }

    [Fact]
    public void Corrupting_any_byte_of_rich_frames_is_handled() =>
        Gen.Select(Gen.Int[0, 200], Gen.Byte).Sample((position, value) =>
        {
            byte[] frame = new FrameBuilder().Ethernet().Vlan(1).IPv6("2001:db8::1", "2001:db8::2").HopByHop().Routing("2001:db8::9").DestinationOptions("2001:db8::8").Udp(1, 2).Build();
            frame[position % frame.Length] = value;
            SteerEverywhere(frame);
        }, iter: 20000);
}
