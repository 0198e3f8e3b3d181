using System.Buffers.Binary;
using System.Net;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;
using Xunit;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>
/// Agreement: mixed frames sent through AF_PACKET arrive, each exactly once, on the queue
/// <c>table[hash &amp; mask] % queues</c> (or <c>unclassified % queues</c>) with the hash and report of the bitwise
/// reference Toeplitz over the tuple the test itself built (kernel-series.md §3.3, §4.2) — an oracle independent of
/// the dissector the backends use.
/// </summary>
public sealed class SteeringAgreementTests
{
    private const int Frames = 1200;
    private const int Queues = 4;

    [RootFact]
    public void Userspace_backend_agrees_with_the_reference_on_mixed_frames() => Agree(SteeringBackendKind.Userspace);

    [RootFact]
    public void Ebpf_backend_agrees_with_the_reference_on_mixed_frames() => Agree(SteeringBackendKind.Ebpf);

    internal static void Agree(SteeringBackendKind backend)
    {
        var random = new Random(20261125);
        byte[] key = ToeplitzKey.MicrosoftKey.ToArray();
        ushort[] table = [.. Enumerable.Range(0, 128).Select(_ => (ushort)random.Next(0, 7))];
        RssConfiguration configuration = RssConfiguration.Create(HashTypes.AllNonEx, key, table, unclassifiedQueue: 6, TunVnetRssSelftestTests.ProfileFor(backend));
        List<Sample> samples = [.. Enumerable.Range(0, Frames).Select(i => Sample.Create(random, (ushort)i, key, table, 6))];

        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, backend == SteeringBackendKind.Userspace ? 1 : Queues);
        using RssTap tap = RssTap.Start(device, configuration, new RssTapOptions { Backend = backend, QueueCount = Queues, Reader = new TapReaderOptions { MaxQueuedFrames = Frames * 2 } });
        Assert.Equal(backend, tap.Selection.Kind);
        using var socket = TestTraffic.Open(ns, device);

        var seen = new Dictionary<ushort, (int Queue, HashResult Hash)>();
        for (int start = 0; start < samples.Count; start += 100)
        {
            // Batches stay far below the kernel's per-queue limit (500 frames), so nothing is dropped for lack of room.
            foreach (Sample sample in samples.Skip(start).Take(100))
            {
                socket.Send(sample.Payload, sample.EtherType, TestTraffic.SelftestDestination);
            }

            int expected = Math.Min(start + 100, samples.Count);
            TestTraffic.WaitUntil(() => tap.Queues.Sum(q => q.Statistics.Delivered) >= expected, $"{expected} frames");
            Drain(tap, seen);
        }

        Assert.Equal(samples.Count, seen.Count);
        foreach (Sample sample in samples)
        {
            (int queue, HashResult hash) = seen[sample.Id];
            Assert.True(sample.Expected == hash, $"frame {sample.Id} ({sample.Description}): expected {sample.Expected}, got {hash}");
            Assert.True(sample.ExpectedQueue == queue, $"frame {sample.Id} ({sample.Description}): expected queue {sample.ExpectedQueue}, got {queue}");
        }

        Assert.Equal(samples.Count(s => s.Expected.Report == HashReport.None), tap.Queues.Sum(q => q.Statistics.CountOf(HashReport.None)));
    }

    private static void Drain(RssTap tap, Dictionary<ushort, (int, HashResult)> seen)
    {
        foreach (ReceiveQueue queue in tap.Queues)
        {
            while (queue.TryRead(out TapFrame frame))
            {
                using (frame)
                {
                    ushort id = Sample.IdOf(frame.Frame[14..]);
                    Assert.True(seen.TryAdd(id, (frame.Queue, frame.Hash)), $"frame {id} arrived twice");
                    Assert.Equal(queue.Index, frame.Queue);
                }
            }
        }
    }

    /// <summary>One test frame: its L3 payload, the tuple it was built from and the expected result.</summary>
    private sealed record Sample(ushort Id, byte[] Payload, ushort EtherType, HashResult Expected, int ExpectedQueue, string Description)
    {
        private const int NonIpMarker = 0x9000;

        public static Sample Create(Random random, ushort id, byte[] key, ushort[] table, int unclassified)
        {
            int shape = random.Next(0, 8);
            bool v6 = shape is 3 or 4 or 5;
            ushort sport = (ushort)random.Next(1, 65536);
            ushort dport = (ushort)random.Next(1, 65536);
            string src = v6 ? RandomV6(random) : RandomV4(random);
            string dst = v6 ? RandomV6(random) : RandomV4(random);
            // The id travels in the payload so each frame can be found again: 2 bytes after the transport header.
            byte[] tag = [(byte)(id >> 8), (byte)id];
            var builder = new FrameBuilder().Ethernet();
            HashReport report;
            bool ports;
            string description;
            switch (shape)
            {
                case 0:
                    builder.IPv4(src, dst).Tcp(sport, dport).Payload(tag, 6);
                    (report, ports, description) = (HashReport.TcpV4, true, "TCPv4");
                    break;
                case 1:
                    builder.IPv4(src, dst).Udp(sport, dport).Payload(tag, 17);
                    (report, ports, description) = (HashReport.UdpV4, true, "UDPv4");
                    break;
                case 2:
                    builder.IPv4(src, dst).Payload(tag, 253);
                    (report, ports, description) = (HashReport.IPv4, false, "IPv4 proto 253");
                    break;
                case 3:
                    builder.IPv6(src, dst).Tcp(sport, dport).Payload(tag, 6);
                    (report, ports, description) = (HashReport.TcpV6, true, "TCPv6");
                    break;
                case 4:
                    builder.IPv6(src, dst).Udp(sport, dport).Payload(tag, 17);
                    (report, ports, description) = (HashReport.UdpV6, true, "UDPv6");
                    break;
                case 5:
                    builder.IPv6(src, dst).Payload(tag, 253);
                    (report, ports, description) = (HashReport.IPv6, false, "IPv6 next header 253");
                    break;
                case 6:
                    builder.IPv4(src, dst, moreFragments: true).Udp(sport, dport).Payload(tag, 17);
                    (report, ports, description) = (HashReport.IPv4, false, "IPv4 first fragment");
                    break;
                default:
                    return Unclassified(id, tag, table, unclassified);
            }

            byte[] payload = builder.Build()[14..];
            byte[] input = [.. IPAddress.Parse(src).GetAddressBytes(), .. IPAddress.Parse(dst).GetAddressBytes()];
            if (ports)
            {
                input = [.. input, (byte)(sport >> 8), (byte)sport, (byte)(dport >> 8), (byte)dport];
            }

            uint hash = ToeplitzReference.Hash(key, input);
            return new Sample(id, payload, v6 ? (ushort)0x86DD : (ushort)0x0800, new HashResult(hash, report), table[hash & (uint)(table.Length - 1)] % Queues, $"{description} {src}:{sport} -> {dst}:{dport}");
        }

        public static ushort IdOf(ReadOnlySpan<byte> payload)
        {
            if (payload.Length == 2)
            {
                return BinaryPrimitives.ReadUInt16BigEndian(payload);
            }

            return BinaryPrimitives.ReadUInt16BigEndian(payload[^2..]);
        }

        private static Sample Unclassified(ushort id, byte[] tag, ushort[] table, int unclassified) =>
            new(id, tag, NonIpMarker, HashResult.None, unclassified % Queues, "EtherType 0x9000");

        private static string RandomV4(Random random) => $"{random.Next(1, 224)}.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}";

        private static string RandomV6(Random random)
        {
            byte[] bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[0] = 0x20;
            return new IPAddress(bytes).ToString();
        }
    }
}
