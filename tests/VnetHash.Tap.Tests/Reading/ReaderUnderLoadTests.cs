using System.Diagnostics;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;
using Xunit;
using Xunit.Abstractions;

namespace VnetHash.Tap.Tests.Reading;

/// <summary>
/// The readers at full rate, with both engines (io_uring, and the poll+read fallback forced by option): every frame
/// accounted for against the kernel's own counters, a device deleted under them, a consumer that stops consuming.
/// </summary>
public sealed class ReaderUnderLoadTests(ITestOutputHelper output)
{
    public static TheoryData<ReaderEngine> Engines => [ReaderEngine.IoUring, ReaderEngine.PollRead];

    [Fact]
    public void The_probe_names_the_engine_auto_takes_and_why()
    {
        ReaderEngineSupport support = ReaderEngineSupport.Current;
        output.WriteLine(support.ToString());
        Assert.NotEqual(ReaderEngine.Auto, support.Auto);
        Assert.StartsWith(support.Auto == ReaderEngine.IoUring ? "io_uring: " : "poll+read: ", support.Reason, StringComparison.Ordinal);
        if (support.Auto == ReaderEngine.IoUring)
        {
            Assert.Contains("IORING_OP_READ_MULTISHOT", support.Reason, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Issue "data path at rate": frames the kernel accepted = delivered + dropped, exactly. A handler slower than the
    /// sender makes the kernel drop; once the sender stopped and the readers caught up, every frame offered to the
    /// device is in the kernel's <c>tx_packets</c> or <c>tx_dropped</c>, every frame it sent was read, and every frame
    /// read was delivered or dropped with a reason.
    /// </summary>
    [RootTheory]
    [MemberData(nameof(Engines))]
    public void A_flood_reconciles_exactly_with_the_kernels_counters(ReaderEngine engine)
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        if (!Available(engine, device))
        {
            return;
        }

        long handled = 0;
        using TapReceiver receiver = TapReceiver.Start(device, batch =>
        {
            // Slower than the sender, so the kernel has to drop some.
            Thread.SpinWait(200 * batch.Count);
            Interlocked.Add(ref handled, batch.Count);
        }, new TapReaderOptions { Engine = engine });
        using PacketFlood flood = PacketFlood.Start(device.Name, ns.Path, limit: 300_000);
        TestTraffic.WaitUntil(() => flood.Finished, "the flood to finish", progress: () => flood.Offered);
        TestTraffic.WaitUntil(() => TestTaps.Drained(device, receiver, flood), "the readers to catch up", progress: () => receiver.KernelQueues.Sum(q => q.FramesRead));

        TapLinkStatistics link = device.ReadStatistics();
        receiver.Dispose(); // the last batch's handler has returned
        IReadOnlyList<KernelQueueStatistics> readers = receiver.KernelQueues;
        long delivered = receiver.Queues.Sum(q => q.Statistics.Delivered);
        long dropped = readers.Sum(r => r.Dropped) + receiver.Queues.Sum(q => q.Statistics.Dropped);
        output.WriteLine($"{engine}: offered {flood.Offered} (refused {flood.Refused}), kernel {link}, read {readers.Sum(r => r.FramesRead)}, delivered {delivered}, dropped {dropped}");

        Assert.Equal(300_000, flood.Offered);
        Assert.Equal(flood.Offered, link.TxPackets + link.TxDropped);
        Assert.Equal(flood.Refused, link.TxDropped);
        Assert.True(link.TxDropped > 0, "the slow handler made the kernel drop nothing, so the test proved less than it should");
        Assert.Equal(link.TxPackets, readers.Sum(r => r.FramesRead));
        Assert.Equal(readers.Sum(r => r.FramesRead), delivered + dropped);
        Assert.Equal(delivered, Interlocked.Read(ref handled));
        Assert.All(readers, r => Assert.Equal(engine, r.Engine));
    }

    /// <summary>Issue "data path at rate": a device deleted under its readers at full rate ends them within 100 ms.</summary>
    [RootTheory]
    [MemberData(nameof(Engines))]
    public void A_device_deleted_under_its_readers_at_full_rate_ends_them_within_100_ms(ReaderEngine engine)
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        if (!Available(engine, device))
        {
            return;
        }

        using TapReceiver receiver = TapReceiver.Start(device, _ => { }, new TapReaderOptions { Engine = engine });
        using (PacketFlood flood = PacketFlood.Start(device.Name, ns.Path))
        {
            TestTraffic.WaitUntil(() => receiver.KernelQueues.Sum(q => q.FramesRead) > 20_000, "frames to flow", progress: () => flood.Offered);
            ns.DeleteLink(device.Name);
            var clock = Stopwatch.StartNew();
            bool ended = ((IAsyncResult)receiver.Completion).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20));
            TimeSpan took = clock.Elapsed;
            output.WriteLine($"{engine}: readers ended {took.TotalMilliseconds:F1} ms after ip link del returned");
            Assert.True(ended, "the readers never ended");
            Assert.True(took < TimeSpan.FromMilliseconds(100), $"the readers took {took.TotalMilliseconds:F0} ms to end");
        }

        TapException error = Assert.IsType<TapException>(receiver.Failure);
        Assert.Equal(TapError.DeviceGone, error.Error);
        Assert.Contains("deleted", error.Message, StringComparison.Ordinal);
        Assert.All(receiver.Queues, q => Assert.Same(error, q.Error));
    }

    /// <summary>
    /// Issue "data path at rate": a consumer that stops consuming. The receive queue stays within its limits (memory
    /// bounded), every frame it could not take is counted (dropped by the queue, or left to the kernel, which drops
    /// and counts what does not fit its own queue), and once the consumer drains, the counts reconcile exactly.
    /// Batches of one frame are the trickle a loaded reader sees: each small batch joins the last waiting block, so
    /// the frame limit, not a byte limit of mostly empty blocks, is what fills the queue.
    /// </summary>
    [RootTheory]
    [InlineData(ReaderEngine.IoUring, FullQueueBehavior.Drop, 256)]
    [InlineData(ReaderEngine.IoUring, FullQueueBehavior.Pause, 256)]
    [InlineData(ReaderEngine.IoUring, FullQueueBehavior.Pause, 1)]
    [InlineData(ReaderEngine.PollRead, FullQueueBehavior.Drop, 256)]
    [InlineData(ReaderEngine.PollRead, FullQueueBehavior.Pause, 256)]
    [InlineData(ReaderEngine.PollRead, FullQueueBehavior.Pause, 1)]
    public void A_consumer_that_stops_consuming_keeps_the_queue_bounded_and_every_frame_counted(ReaderEngine engine, FullQueueBehavior whenFull, int batchFrames)
    {
        const int Limit = 2048;
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        if (!Available(engine, device))
        {
            return;
        }

        var options = new TapReaderOptions { Engine = engine, WhenFull = whenFull, MaxQueuedFrames = Limit, BatchFrames = batchFrames };
        using TapReceiver receiver = TapReceiver.Start(device, options);
        ReceiveQueue queue = receiver.Queues[0];
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using PacketFlood flood = PacketFlood.Start(device.Name, ns.Path, limit: 200_000);
        TestTraffic.WaitUntil(() => flood.Finished, "the flood to finish", progress: () => flood.Offered);
        TestTraffic.WaitUntil(() => receiver.KernelQueues[0].FramesRead >= Limit, "the queue to fill");

        ReceiveQueueStatistics stuck = queue.Statistics;
        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        TapLinkStatistics link = device.ReadStatistics();
        output.WriteLine($"{engine} {whenFull}, consumer stopped: {stuck}, reader {receiver.KernelQueues[0]}, kernel {link}, heap growth {heapGrowth >> 10} KiB");
        Assert.InRange(stuck.Queued, 1, Limit);
        Assert.True(heapGrowth < 64 << 20, $"the heap grew by {heapGrowth >> 20} MiB while nobody consumed");
        if (whenFull == FullQueueBehavior.Drop)
        {
            Assert.True(stuck.DroppedQueueFull > 0, "a full queue in drop mode dropped nothing");
        }
        else
        {
            Assert.True(stuck.Paused > 0, "a full queue in pause mode never paused its reader");
            Assert.True(link.TxDropped > 0, "the kernel dropped nothing while the reader was paused");
            Assert.Equal(0, stuck.DroppedQueueFull);
            Assert.InRange(receiver.KernelQueues[0].FramesRead, Limit, Limit + options.BatchFrames + options.IoUringBuffers);
        }

        // The consumer comes back: everything left is read, and every frame offered is accounted for.
        long consumed = DrainUntilReconciled(device, receiver, queue, flood);

        link = device.ReadStatistics();
        ReceiveQueueStatistics end = queue.Statistics;
        KernelQueueStatistics reader = receiver.KernelQueues[0];
        Assert.Equal(flood.Offered, link.TxPackets + link.TxDropped);
        Assert.Equal(link.TxPackets, reader.FramesRead);
        Assert.Equal(reader.FramesRead, end.Delivered + end.Dropped + reader.Dropped);
        Assert.Equal(end.Delivered, consumed);
    }

    /// <summary>
    /// The byte limit holds on its own: with room for a million frames but memory for one block, a stopped consumer
    /// pauses the reader (or drops) once a block is waiting, and what it holds is far below the frame limit.
    /// </summary>
    [RootTheory]
    [InlineData(ReaderEngine.PollRead, FullQueueBehavior.Pause)]
    [InlineData(ReaderEngine.PollRead, FullQueueBehavior.Drop)]
    [InlineData(ReaderEngine.IoUring, FullQueueBehavior.Pause)]
    public void The_byte_limit_bounds_a_queue_whose_frame_limit_is_far_away(ReaderEngine engine, FullQueueBehavior whenFull)
    {
        const int FrameLimit = 1_000_000;
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        if (!Available(engine, device))
        {
            return;
        }

        var options = new TapReaderOptions { Engine = engine, WhenFull = whenFull, MaxQueuedFrames = FrameLimit, MaxQueuedBytes = 1 };
        using TapReceiver receiver = TapReceiver.Start(device, options);
        ReceiveQueue queue = receiver.Queues[0];
        using PacketFlood flood = PacketFlood.Start(device.Name, ns.Path, limit: 100_000);
        TestTraffic.WaitUntil(() => flood.Finished, "the flood to finish", progress: () => flood.Offered);
        TestTraffic.WaitUntil(
            () => whenFull == FullQueueBehavior.Pause ? queue.Statistics.Paused > 0 : queue.Statistics.DroppedQueueFull > 0,
            "the byte limit to stop the queue",
            progress: () => queue.Statistics.Queued);

        ReceiveQueueStatistics stuck = queue.Statistics;
        output.WriteLine($"{engine} {whenFull}, one block of memory: {stuck}, reader {receiver.KernelQueues[0]}");
        Assert.InRange(stuck.Queued, 1, FrameLimit / 100);
        Assert.InRange(stuck.Bytes, 1, 1 << 20);

        long consumed = DrainUntilReconciled(device, receiver, queue, flood);
        ReceiveQueueStatistics end = queue.Statistics;
        Assert.Equal(receiver.KernelQueues[0].FramesRead, end.Delivered + end.Dropped + receiver.KernelQueues[0].Dropped);
        Assert.Equal(end.Delivered, consumed);
    }

    /// <summary>
    /// Consumes the queue until the flood is over, every frame is read and every frame read was delivered or dropped
    /// (a reader counts a frame read before it hands it over, so this is waited for); returns the frames consumed.
    /// </summary>
    private static long DrainUntilReconciled(TapDevice device, TapReceiver receiver, ReceiveQueue queue, PacketFlood flood)
    {
        long consumed = 0;
        TestTraffic.WaitUntil(
            () =>
            {
                while (queue.TryRead(out TapFrame frame))
                {
                    frame.Dispose();
                    consumed++;
                }

                ReceiveQueueStatistics now = queue.Statistics;
                KernelQueueStatistics reader = receiver.KernelQueues[0];
                return TestTaps.Drained(device, receiver, flood) && now.Queued == 0 && reader.FramesRead == now.Delivered + now.Dropped + reader.Dropped;
            },
            "the consumer to drain the queue",
            progress: () => consumed);
        return consumed;
    }

    /// <summary>Whether the engine runs here; where io_uring is missing, asking for it must fail with the probe's reason.</summary>
    private bool Available(ReaderEngine engine, TapDevice device)
    {
        if (engine != ReaderEngine.IoUring || ReaderEngineSupport.Current.Auto == ReaderEngine.IoUring)
        {
            return true;
        }

        TapException error = Assert.Throws<TapException>(() => TapReceiver.Start(device, new TapReaderOptions { Engine = engine }));
        Assert.Equal(TapError.NotSupported, error.Error);
        Assert.Contains(ReaderEngineSupport.Current.Reason, error.Message, StringComparison.Ordinal);
        output.WriteLine($"io_uring is not available here, as asked for it says: {error.Message}");
        return false;
    }
}
