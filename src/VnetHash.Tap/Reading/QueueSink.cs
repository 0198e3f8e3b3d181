using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Reading;

/// <summary>
/// Copies each batch into blocks of the receive queues its frames were steered to and publishes every block once
/// the batch is in (one wake-up of a waiting consumer per queue and batch). At a queue's limit it drops and counts,
/// or publishes what it has and waits until the consumer has drained the queue to half (<see cref="FullQueueBehavior"/>).
/// </summary>
/// <remarks>Each reader has its own open block per queue, so readers of different kernel queues never share one.</remarks>
internal sealed class QueueSink(IReadOnlyList<ReceiveQueue> queues, FullQueueBehavior whenFull, int readers) : IFrameSink
{
    private readonly OpenBlocks[] _open = [.. Enumerable.Range(0, readers).Select(_ => new OpenBlocks(queues.Count))];

    public void Deliver(Span<FrameSlot> frames, int headerSize, int reader, CancellationToken stop)
    {
        OpenBlocks state = _open[reader];
        FrameBlock?[] open = state.Blocks;
        bool stopped = false;
        foreach (ref readonly FrameSlot frame in frames)
        {
            ReceiveQueue queue = queues[frame.Queue];
            ReceiveCounters counters = queue.CountersOf(reader);
            if (stopped)
            {
                counters.DroppedStopped++;
                continue;
            }

            ref FrameBlock? block = ref open[frame.Queue];
            while (!queue.HasRoom((block?.Count ?? 0) + 1))
            {
                if (whenFull == FullQueueBehavior.Drop)
                {
                    counters.DroppedQueueFull++;
                    goto next;
                }

                // Stop reading the fd: the kernel keeps the frames and drops (and counts) what does not fit its queue.
                Publish(queue, ref block);
                counters.Paused++;
                if (!queue.WaitForSpace(stop))
                {
                    counters.DroppedStopped++;
                    stopped = true;
                    goto next;
                }
            }

            if (block is null)
            {
                block = queue.RentBlock();
                state.Touched.Add(frame.Queue);
            }

            if (!block.TryAppend(frame.Span))
            {
                Publish(queue, ref block);
                block = queue.RentBlock();
                if (!block.TryAppend(frame.Span))
                {
                    throw new TapException(TapError.Other, 0, "read", $"a {frame.Length}-byte frame does not fit a receive block; the block size is chosen from the largest read, so this is a bug");
                }
            }

            counters.CountDelivered(frame.Length, frame.Report);
        next:;
        }

        foreach (int q in state.Touched)
        {
            Publish(queues[q], ref open[q]);
        }

        state.Touched.Clear();
    }

    private static void Publish(ReceiveQueue queue, ref FrameBlock? block)
    {
        if (block is { Count: > 0 })
        {
            queue.Publish(block);
            block = null;
        }
    }

    /// <summary>One reader's open block per receive queue, and which queues it has opened blocks for in this batch.</summary>
    private sealed class OpenBlocks(int queues)
    {
        internal FrameBlock?[] Blocks { get; } = new FrameBlock?[queues];

        internal List<int> Touched { get; } = new(Math.Min(queues, 64));
    }
}
