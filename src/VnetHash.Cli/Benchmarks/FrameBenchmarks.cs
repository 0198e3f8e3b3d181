using VnetHash.Cli.Frames;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The whole per-packet path, as a TAP reader calls it: an Ethernet frame to its hash, report, queue and the hash
/// fields of its <c>virtio_net_hdr_v1_hash</c> (all types, Microsoft key, 128-entry table over 4 queues), over a pool
/// of distinct flows of each of IPv4/IPv6 and TCP/UDP.
/// </summary>
public sealed class FrameBenchmarks : IBenchmarkProvider
{
    private const int QueueCount = 4;
    private const int Flows = 64;

    public IEnumerable<BenchmarkCase> Cases()
    {
        var steering = new RssSteering(RssConfiguration.RoundRobin(QueueCount));
        yield return Case("frame-ipv4-tcp", steering, ipv6: false, protocol: 6);
        yield return Case("frame-ipv6-tcp", steering, ipv6: true, protocol: 6);
        yield return Case("frame-ipv4-udp", steering, ipv6: false, protocol: 17);
        yield return Case("frame-ipv6-udp", steering, ipv6: true, protocol: 17);
    }

    private static BenchmarkCase Case(string name, RssSteering steering, bool ipv6, int protocol)
    {
        byte[][] frames = [.. Enumerable.Range(0, Flows).Select(flow => Frame(ipv6, protocol, flow))];
        var header = new byte[VirtioNetHeader.HashSize];
        return new BenchmarkCase(name, n =>
        {
            ulong acc = 0;
            for (long done = 0; done < n; done += Flows)
            {
                foreach (byte[] frame in frames)
                {
                    acc += (ulong)steering.Decide(frame, FrameKind.Ethernet, QueueCount, header).Queue;
                }
            }

            return acc;
        });
    }

    private static byte[] Frame(bool ipv6, int protocol, int flow)
    {
        byte[] source = ipv6 ? [0x20, 0x01, 0x0d, 0xb8, .. new byte[11], (byte)flow] : [10, 0, (byte)(flow >> 8), (byte)flow];
        byte[] destination = ipv6 ? [0x20, 0x01, 0x0d, 0xb8, .. new byte[11], 2] : [10, 0, 0, 2];
        return new FrameSpec { Source = source, Destination = destination, Protocol = protocol, SourcePort = (ushort)(40000 + flow), DestinationPort = 443 }.BuildEthernet();
    }
}
