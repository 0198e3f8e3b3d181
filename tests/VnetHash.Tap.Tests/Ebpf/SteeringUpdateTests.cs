using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>
/// Reconfiguration while packets flow: each packet is steered wholly by the old configuration or wholly by the
/// new one (EbpfSteering's double buffer behind a map of maps), never by a mix of the two.
/// </summary>
public sealed class SteeringUpdateTests
{
    private static RssConfiguration Configuration(byte seed, HashTypes types, ushort unclassified)
    {
        byte[] key = new byte[40];
        new Random(seed).NextBytes(key);
        var table = new ushort[32768];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ushort)i;
        }

        return RssConfiguration.Create(types, key, table, unclassified);
    }

    [BpfFact]
    public void PacketsSeeTheOldOrTheNewConfigurationNeverAMix()
    {
        // Different keys, types and unclassified queues: a packet steered by parts of both would return a value
        // neither configuration produces.
        RssConfiguration a = Configuration(1, HashTypes.All, 0xFFFF);
        RssConfiguration b = Configuration(2, HashTypes.IPv4 | HashTypes.IPv6, 0xFFFE);
        byte[][] frames =
        [
            new FrameBuilder().Ethernet().IPv4("10.1.2.3", "10.4.5.6").Tcp(1234, 80).Build(),
            new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").Udp(53, 5353).Build(),
            new FrameBuilder().Ethernet(etherType: 0x0806).Payload(new byte[28]).Build(),
        ];
        var allowed = frames.Select(f => new HashSet<uint> { Expected(a, f), Expected(b, f) }).ToArray();

        using EbpfSteering steering = EbpfSteering.Load(a);
        using var stop = new CancellationTokenSource();
        Task updates = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                steering.Update(i % 2 == 0 ? b : a);
            }
        });
        var seen = new HashSet<uint>();
        try
        {
            // At least 20,000 packets, and on until both configurations were seen: on a loaded machine an update
            // (an RCU grace period) can outlast the first 20,000. The upper bound keeps a broken update from hanging.
            uint oldUnclassified = Expected(a, frames[2]);
            uint newUnclassified = Expected(b, frames[2]);
            for (int n = 0; n < 20_000 || (n < 2_000_000 && !(seen.Contains(oldUnclassified) && seen.Contains(newUnclassified))); n++)
            {
                int which = n % frames.Length;
                uint returned = steering.Program.TestRunFrame(frames[which]).ReturnValue;
                Assert.Contains(returned, allowed[which]);
                seen.Add(returned);
            }
        }
        finally
        {
            stop.Cancel();
            updates.Wait();
        }

        // Both configurations really were in force during the run (else the test proved nothing).
        Assert.Contains(Expected(a, frames[2]), seen);
        Assert.Contains(Expected(b, frames[2]), seen);
    }

    private static uint Expected(RssConfiguration configuration, byte[] frame)
    {
        HashResult hash = new RssSteering(configuration).Hasher.Hash(frame, FrameKind.Ethernet);
        return hash.HasHash ? configuration.IndirectionTable[(int)(hash.Value & (uint)configuration.IndirectionTableMask)] : configuration.UnclassifiedQueue;
    }
}
