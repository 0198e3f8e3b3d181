using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VnetHash.Cli.Frames;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The whole per-packet path, as a TAP reader calls it: an Ethernet frame to its hash, report, queue and the hash
/// fields of the <c>virtio_net_hdr_v1_hash</c> in front of it (all types, Microsoft key, 128-entry table over 4
/// queues), over a batch of distinct flows of each of IPv4/IPv6 and TCP/UDP.
/// </summary>
public sealed class FrameBenchmarks : IBenchmarkProvider
{
    internal const int QueueCount = 4;
    internal const int Flows = 64;

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
        // The flows' packets side by side, each header before its frame, walked as a reader walks a batch it has just
        // read (ReadBatch).
        var batch = new ReadBatch([.. Enumerable.Range(0, Flows).Select(flow => Frame(ipv6, protocol, flow))]);
        return new BenchmarkCase(name, n =>
        {
            ulong acc = 0;
            for (long done = 0; done < n; done += Flows)
            {
                acc += DecideAll(steering, batch);
            }

            return acc;
        });
    }

    // A method of its own, never inlined, walking to an end reference with no counter, so that the loop gets its own
    // registers and its own optimised compile (docs/design.md, "`bench`'s timed loops").
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static ulong DecideAll(RssSteering steering, ReadBatch batch)
    {
        int length = batch.FrameLength;
        int stride = batch.Stride;
        ulong sum = 0;
        ref byte packet = ref MemoryMarshal.GetArrayDataReference(batch.Packets);
        ref byte end = ref Unsafe.Add(ref packet, batch.Count * stride);
        while (Unsafe.IsAddressLessThan(ref packet, ref end))
        {
            RssDecision decision = steering.Decide(
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref packet, ReadBatch.HeaderSize), length), FrameKind.Ethernet, QueueCount,
                MemoryMarshal.CreateSpan(ref packet, ReadBatch.HeaderSize));
            sum += decision.Hash.Value + (ulong)decision.Queue;
            packet = ref Unsafe.Add(ref packet, stride);
        }

        return sum;
    }

    internal static byte[] Frame(bool ipv6, int protocol, int flow)
    {
        byte[] source = ipv6 ? [0x20, 0x01, 0x0d, 0xb8, .. new byte[11], (byte)flow] : [10, 0, (byte)(flow >> 8), (byte)flow];
        byte[] destination = ipv6 ? [0x20, 0x01, 0x0d, 0xb8, .. new byte[11], 2] : [10, 0, 0, 2];
        return new FrameSpec { Source = source, Destination = destination, Protocol = protocol, SourcePort = (ushort)(40000 + flow), DestinationPort = 443 }.BuildEthernet();
    }
}
