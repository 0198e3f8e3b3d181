using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>
/// Agreement with the core: whole Ethernet frames from <see cref="MixedFrameGenerator"/> (IPv4/IPv6, TCP/UDP/other,
/// fragments, VLAN and QinQ tags, IPv6 extension headers with Home Address options and type-2 routing headers,
/// non-IP) are sent out of the tap through a raw AF_PACKET socket, as the series' selftest sends its packets, and
/// each must arrive on the queue the core's <see cref="RssSteering"/> computes, with the core's hash and report,
/// under all nine hash types of the virtio-spec profile.
/// </summary>
public sealed class MixedFrameAgreementTests
{
    private const int Frames = 1200;
    private const int Queues = 4;

    [RootFact]
    public void Userspace_backend_delivers_the_cores_queue_hash_and_report() => Agree(SteeringBackendKind.Userspace);

    [RootFact]
    public void Ebpf_backend_delivers_the_cores_queue_hash_and_report() => Agree(SteeringBackendKind.Ebpf);

    /// <summary>
    /// The linux-tun program on a real tap, with the series kernel's divergences in the mix (tunnels, GRE, PPPoE,
    /// cut-short transports; docs/design.md "The linux-tun profile").
    /// </summary>
    [RootFact]
    public void Ebpf_backend_delivers_the_cores_queue_hash_and_report_under_linux_tun() => Agree(SteeringBackendKind.Ebpf, HashProfile.LinuxTun);

    private static void Agree(SteeringBackendKind backend, HashProfile profile = HashProfile.VirtioSpec)
    {
        var random = new Random(1125);
        ushort[] table = [.. Enumerable.Range(0, 64).Select(_ => (ushort)random.Next(0, 9))];
        var configuration = RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, table, unclassifiedQueue: 7, profile);
        var steering = new RssSteering(configuration);
        var generator = new MixedFrameGenerator(1125) { KernelDivergences = profile == HashProfile.LinuxTun };

        // Frames are matched by their bytes: a frame leaves the tap unchanged, and a repeated frame must be
        // decided the same way each time, so a multiset of expectations per frame is enough.
        var expected = new Dictionary<string, Queue<RssDecision>>();
        var frames = new List<byte[]>(Frames);
        for (int i = 0; i < Frames; i++)
        {
            byte[] frame = generator.Next();
            frames.Add(frame);
            string id = Convert.ToHexString(frame);
            if (!expected.TryGetValue(id, out Queue<RssDecision>? decisions))
            {
                expected[id] = decisions = new Queue<RssDecision>();
            }

            decisions.Enqueue(steering.Decide(frame, FrameKind.Ethernet, Queues));
        }

        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, backend == SteeringBackendKind.Userspace ? 1 : Queues);
        using RssTap tap = RssTap.Start(device, configuration, new RssTapOptions { Backend = backend, QueueCount = Queues, Reader = new TapReaderOptions { MaxQueuedFrames = Frames * 2 } });
        Assert.Equal(backend, tap.Selection.Kind);
        using PacketSocket socket = ns.Invoke(() => PacketSocket.OpenRaw(device.InterfaceIndex));

        int received = 0;
        for (int start = 0; start < frames.Count; start += 100)
        {
            // Batches stay far below the kernel's per-queue limit, so nothing is dropped for lack of room.
            foreach (byte[] frame in frames.Skip(start).Take(100))
            {
                socket.SendFrame(frame);
            }

            int sent = Math.Min(start + 100, frames.Count);
            TestTraffic.WaitUntil(() => tap.Queues.Sum(q => q.Statistics.Delivered) >= sent, $"{sent} frames");
            foreach (ReceiveQueue queue in tap.Queues)
            {
                while (queue.TryRead(out TapFrame delivered))
                {
                    using (delivered)
                    {
                        string id = Convert.ToHexString(delivered.Frame);
                        Assert.True(expected.TryGetValue(id, out Queue<RssDecision>? decisions) && decisions.Count > 0, $"unexpected or duplicated frame {id}");
                        RssDecision decision = decisions.Dequeue();
                        Assert.True(decision.Queue == delivered.Queue, $"frame {id}: core queue {decision.Queue}, delivered on {delivered.Queue}");
                        Assert.True(decision.Hash == delivered.Hash, $"frame {id}: core {decision.Hash}, delivered {delivered.Hash}");
                        received++;
                    }
                }
            }
        }

        Assert.Equal(Frames, received);
    }
}
