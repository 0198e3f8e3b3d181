using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;
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

    [BpfFact]
    public void RandomFramesGetTheCoresHashReportAndQueue_VirtioSpec() => Agree(HashProfile.VirtioSpec, new RandomFrames(1).Next, seed: 1);

    /// <summary>The core's mixed generator (the frames the series kernel was measured with), divergence cases included.</summary>
    [BpfFact]
    public void MixedFramesGetTheCoresHashReportAndQueue_VirtioSpec()
    {
        var generator = new MixedFrameGenerator(3) { KernelDivergences = true };
        Agree(HashProfile.VirtioSpec, generator.Next, seed: 3);
    }

    [Fact]
    public void TheLinuxTunProfileIsRefusedByName()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(4, HashTypes.AllNonEx, profile: HashProfile.LinuxTun);
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => EbpfSteering.Load(configuration));
        Assert.Contains(nameof(HashProfile.LinuxTun), error.Message, StringComparison.Ordinal);
    }

    private void Agree(HashProfile profile, Func<byte[]> nextFrame, int seed)
    {
        var random = new Random(seed);
        using EbpfSteering steering = EbpfSteering.Load(RandomConfiguration(random, profile), new EbpfSteeringOptions { RecordResults = true });
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
                HashResult expected = core.Hasher.Hash(frame, FrameKind.Ethernet);
                uint returned = steering.Program.TestRun(TestRunFrame.Wrap(frame)).ReturnValue;
                EbpfSteeringResult? recorded = steering.ReadLastResult();
                string context = $"frame {Convert.ToHexString(frame)} types 0x{(uint)configuration.Types:x} {configuration.Profile} {configuration.Symmetric} key {Convert.ToHexString(configuration.Key)}";

                Assert.True(recorded.HasValue, context);
                Assert.True(expected == recorded.Value.HashResult, $"core {expected}, program {recorded.Value.HashResult}: {context}");
                uint queue = expected.HasHash ? expected.Value & 0x7FFF : 0xFFFF;
                Assert.True(queue == returned, $"core queue {queue}, program returned {returned}: {context}");
                reports[(int)expected.Report]++;
            }
        }

        output.WriteLine($"{profile}: frames per report {string.Join(", ", reports.Select((n, r) => $"{(HashReport)r}={n}"))}");
    }
}
