using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;
using VnetHash.Traffic;
using Xunit.Abstractions;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>
/// The steering program must decide every frame exactly as the core does (PacketHasher and RssSteering are the
/// single source of truth). Frames run through BPF_PROG_TEST_RUN, so no TAP is needed.
/// </summary>
public sealed class SteeringAgreementTests(ITestOutputHelper output)
{
    private const int FramesPerConfiguration = 250;
    private const int Configurations = 24;

    /// <summary>
    /// A table whose entry i is i and an unclassified queue of 0xFFFF make the return value itself reveal
    /// <c>hash &amp; 0x7FFF</c>, or that no hash type applied (virtio spec 5.1.6.4.3 "RSS processing").
    /// </summary>
    private static ushort[] IdentityTable()
    {
        var table = new ushort[32768];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ushort)i;
        }

        return table;
    }

    private static RssConfiguration RandomConfiguration(Random random, HashProfile profile)
    {
        byte[] key = new byte[40];
        random.NextBytes(key);
        var types = (HashTypes)random.Next(0x200);
        if (random.Next(4) == 0)
        {
            types = profile == HashProfile.LinuxTun ? HashTypes.AllNonEx : HashTypes.All;
        }

        var symmetric = random.Next(6) switch
        {
            0 => SymmetricMode.SortedTuple,
            1 => SymmetricMode.Xor,
            _ => SymmetricMode.None,
        };
        return RssConfiguration.Create(types, key, IdentityTable(), 0xFFFF, profile, symmetric);
    }

    /// <summary>Damaged frames and chains past the dissector's bounds, for the virtio-spec bounds rules.</summary>
    [BpfFact]
    public void DamagedFramesGetTheCoresHashReportAndQueue_VirtioSpec() => Agree(HashProfile.VirtioSpec, Stressing(1).Next, seed: 1);

    /// <summary>The core's mixed generator (the frames the series kernel was measured with), divergence cases included.</summary>
    [BpfFact]
    public void MixedFramesGetTheCoresHashReportAndQueue_VirtioSpec()
    {
        var generator = new MixedFrameGenerator(3) { KernelDivergences = true };
        Agree(HashProfile.VirtioSpec, generator.Next, seed: 3);
    }

    /// <summary>
    /// The linux-tun program against PacketDissector.LinuxTun (docs/design.md "The linux-tun profile"): tags, PPPoE,
    /// tunnels, extension-header chains past the 15-header bound and damaged frames.
    /// </summary>
    [BpfFact]
    public void DamagedFramesGetTheCoresHashReportAndQueue_LinuxTun() => Agree(HashProfile.LinuxTun, Stressing(11).Next, seed: 11);

    /// <summary>The series kernel's measured frames under linux-tun, its divergences from the specification included.</summary>
    [BpfFact]
    public void MixedFramesGetTheCoresHashReportAndQueue_LinuxTun()
    {
        var generator = new MixedFrameGenerator(13) { KernelDivergences = true };
        Agree(HashProfile.LinuxTun, generator.Next, seed: 13);
    }

    /// <summary>
    /// Tunnels nested in tunnels with tags, PPPoE and GRE variants, so the walk meets LinuxMaxDissectedHeaders
    /// (MAX_FLOW_DISSECT_HDRS) with a network header pending, a transport header pending and at every header kind.
    /// </summary>
    [BpfFact]
    public void NestedTunnelsGetTheCoresHashReportAndQueue_LinuxTun() => Agree(HashProfile.LinuxTun, Stressing(17).NextNested, seed: 17);

    /// <summary>
    /// The flow dissector's bound (MAX_FLOW_DISSECT_HDRS, LinuxMaxDissectedHeaders = 15; docs/design.md "The
    /// linux-tun profile"): behind 15 VLAN tags the IPv4 header is the 16th step, and the TCP header still pending
    /// is taken as is; behind 16 tags the IPv4 header is never reached and the frame is not IP.
    /// </summary>
    [BpfFact]
    public void TheFifteenHeaderBoundEndsTheWalkAsInTheCore()
    {
        RssConfiguration configuration = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey.ToArray(), IdentityTable(), 0xFFFF, HashProfile.LinuxTun, SymmetricMode.None);
        using EbpfSteering steering = EbpfSteering.Load(configuration, new EbpfSteeringOptions { RecordResults = true });
        var core = new RssSteering(configuration);
        for (int tags = 13; tags <= 18; tags++)
        {
            var builder = new FrameBuilder().Ethernet();
            for (int i = 0; i < tags; i++)
            {
                builder.Vlan((ushort)(i + 1));
            }

            byte[] frame = builder.IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 2000).Build();
            HashResult expected = core.Hasher.Hash(frame, FrameKind.Ethernet);
            Assert.Equal(tags <= 15 ? HashReport.TcpV4 : HashReport.None, expected.Report);
            uint returned = steering.Program.TestRunFrame(frame).ReturnValue;
            Assert.Equal(expected, steering.ReadLastResult()!.Value.HashResult);
            Assert.Equal(expected.HasHash ? expected.Value & 0x7FFF : 0xFFFFu, returned);
        }
    }

    /// <summary>The attached program embodies its profile's rules, so an update cannot switch profiles.</summary>
    [BpfFact]
    public void AnUpdateToAnotherProfileIsRefusedByName()
    {
        using EbpfSteering steering = EbpfSteering.Load(RssConfiguration.RoundRobin(4, HashTypes.AllNonEx, profile: HashProfile.LinuxTun));
        Assert.Equal(EbpfSteering.LinuxTunProgramName[..15], steering.Program.GetInfo().Name);
        ArgumentException error = Assert.Throws<ArgumentException>(() => steering.Update(RssConfiguration.RoundRobin(4)));
        Assert.Contains(nameof(HashProfile.VirtioSpec), error.Message, StringComparison.Ordinal);
        Assert.Equal(HashProfile.LinuxTun, steering.Configuration.Profile);
    }

    /// <summary>
    /// A TUN device's packets carry no Ethernet header; tun takes their protocol from the version nibble
    /// (docs/design.md "The linux-tun profile"). The nested frames without their first 14 bytes: IP packets, and
    /// tags or damage read as a nibble that is not 4 or 6.
    /// </summary>
    [BpfFact]
    public void TunPacketsGetTheCoresHashReportAndQueue_LinuxTun()
    {
        MixedFrameGenerator frames = Stressing(19);
        Agree(HashProfile.LinuxTun, () => frames.NextNested() is { Length: > 14 } frame ? frame[14..] : [0x45], seed: 19, FrameKind.IP);
    }

    private static MixedFrameGenerator Stressing(int seed) => new(seed) { KernelDivergences = true, Damaged = true, BeyondBounds = true };

    private void Agree(HashProfile profile, Func<byte[]> nextFrame, int seed, FrameKind kind = FrameKind.Ethernet)
    {
        var random = new Random(seed);
        using EbpfSteering steering = EbpfSteering.Load(RandomConfiguration(random, profile), new EbpfSteeringOptions { RecordResults = true, FrameKind = kind });
        var reports = new int[10];
        for (int c = 0; c < Configurations; c++)
        {
            if (c > 0)
            {
                steering.Update(RandomConfiguration(random, profile));
            }

            RssConfiguration configuration = steering.Configuration;
            var core = new RssSteering(configuration);
            for (int i = 0; i < FramesPerConfiguration; i++)
            {
                byte[] frame = nextFrame();
                HashResult expected = core.Hasher.Hash(frame, kind);
                uint returned = steering.Program.TestRunFrame(frame).ReturnValue;
                EbpfSteeringResult? recorded = steering.ReadLastResult();
                string context = $"frame {Convert.ToHexString(frame)} types 0x{(uint)configuration.Types:x} {configuration.Profile} {configuration.Symmetric} key {Convert.ToHexString(configuration.Key)}";

                Assert.True(recorded.HasValue, context);
                Assert.True(expected == recorded.Value.HashResult, $"core {expected}, program {recorded.Value.HashResult}: {context}");
                uint queue = expected.HasHash ? expected.Value & 0x7FFF : 0xFFFF;
                Assert.True(queue == returned, $"core queue {queue}, program returned {returned}: {context}");
                reports[(int)expected.Report]++;
            }
        }

        output.WriteLine($"{profile} {kind}: frames per report {string.Join(", ", reports.Select((n, r) => $"{(HashReport)r}={n}"))}");
    }
}
