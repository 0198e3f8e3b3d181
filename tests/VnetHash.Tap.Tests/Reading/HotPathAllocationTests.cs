using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.Traffic;
using Xunit;

namespace VnetHash.Tap.Tests.Reading;

/// <summary>
/// The per-frame path of a reader allocates nothing in a steady state (the rule "no allocation on hot paths"):
/// routing with a hash report, then either a handler on the reader's thread or the receive queues and their consumer.
/// </summary>
public sealed unsafe class HotPathAllocationTests
{
    private const int HeaderSize = 20;
    private const int Frames = 64;
    private const int Stride = 128;

    [Fact]
    public void Routing_a_batch_into_receive_queues_and_taking_every_frame_allocates_nothing_in_steady_state()
    {
        var options = new TapReaderOptions();
        ReceiveQueue[] queues = [.. Enumerable.Range(0, 4).Select(i => new ReceiveQueue(i, options, readers: 1, HeaderSize, blockSize: 16 << 10))];
        var sink = new QueueSink(queues, FullQueueBehavior.Drop, readers: 1);
        var batch = new Batch();
        long taken = 0;

        AssertNoAllocationInSteadyState(() =>
        {
            batch.Route();
            sink.Deliver(batch.Slots, HeaderSize, 0, CancellationToken.None);
            foreach (ReceiveQueue queue in queues)
            {
                while (queue.TryRead(out TapFrame frame))
                {
                    taken += frame.Hash.Report == HashReport.UdpV4 ? 1 : 0;
                    frame.Dispose();
                }
            }
        });

        Assert.True(taken > 0);
        Assert.Equal(0, queues.Sum(q => q.Statistics.DroppedQueueFull));
    }

    [Fact]
    public void Routing_a_batch_to_a_handler_on_the_readers_thread_allocates_nothing_in_steady_state()
    {
        ReceiveQueue[] queues = [.. Enumerable.Range(0, 4).Select(i => new ReceiveQueue(i, new TapReaderOptions(), readers: 1, HeaderSize, blockSize: 16 << 10))];
        long reported = 0;
        var sink = new HandlerSink(b =>
        {
            foreach (TapFrameView frame in b)
            {
                reported += frame.Hash.Report == HashReport.UdpV4 ? 1 : 0;
            }
        }, queues);
        var batch = new Batch();

        AssertNoAllocationInSteadyState(() =>
        {
            batch.Route();
            sink.Deliver(batch.Slots, HeaderSize, 0, CancellationToken.None);
        });

        Assert.Equal(queues.Sum(q => q.Statistics.Delivered), reported);
    }

    private static void AssertNoAllocationInSteadyState(Action round)
    {
        for (int i = 0; i < 200; i++)
        {
            round();
        }

        // The runtime may allocate once while it re-compiles a loop at a higher tier; a per-frame or per-batch
        // allocation would show in every round of 1 000 batches, so steady state means some round allocates nothing.
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < 5 && fewest != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                round();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    /// <summary>64 UDP frames with their headers in pinned memory, as a reader's buffers hold them, routed by the userspace router.</summary>
    private sealed class Batch
    {
        private readonly byte[] _memory = GC.AllocateArray<byte>(Frames * Stride, pinned: true);
        private readonly FrameSlot[] _slots = new FrameSlot[Frames];
        private readonly UserspaceRouter _router = new(new RssSteering(RssConfiguration.RoundRobin(4, HashTypes.AllNonEx)), FrameKind.Ethernet, 4);

        public Batch()
        {
            for (int i = 0; i < Frames; i++)
            {
                byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Udp((ushort)(1000 + i), 2000).Build();
                frame.CopyTo(_memory, (i * Stride) + HeaderSize);
                fixed (byte* start = &_memory[i * Stride])
                {
                    _slots[i] = new FrameSlot { Address = (nint)start, Length = HeaderSize + frame.Length };
                }
            }
        }

        public Span<FrameSlot> Slots => _slots;

        public void Route()
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                ref FrameSlot slot = ref _slots[i];
                slot.Queue = _router.Route(slot.Span, HeaderSize, 0, out HashReport report);
                slot.Report = (int)report;
            }
        }
    }
}
