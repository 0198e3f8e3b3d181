using VnetHash.Cli.Frames;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Benchmarks;

/// <summary>The whole per-packet path: dissect an Ethernet frame, hash it, pick the queue.</summary>
public sealed class FrameBenchmarks : IBenchmarkProvider
{
    public IEnumerable<BenchmarkCase> Cases()
    {
        var steering = new RssSteering(RssConfiguration.RoundRobin(4));
        yield return Case("frame-ipv4-tcp", steering, [10, 0, 0, 1], [10, 0, 0, 2]);
        byte[] a = new byte[16], b = new byte[16];
        a[0] = b[0] = 0x20;
        a[15] = 1;
        b[15] = 2;
        yield return Case("frame-ipv6-tcp", steering, a, b);
    }

    private static BenchmarkCase Case(string name, RssSteering steering, byte[] source, byte[] destination)
    {
        byte[] frame = new FrameSpec { Source = source, Destination = destination, Protocol = 6, SourcePort = 40000, DestinationPort = 443 }.BuildEthernet();
        return new BenchmarkCase(name, n =>
        {
            ulong acc = 0;
            for (long i = 0; i < n; i++)
            {
                acc += (ulong)steering.Decide(frame, FrameKind.Ethernet, 4).Queue;
            }

            return acc;
        });
    }
}
