using System.Diagnostics;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace VnetHash.Tap.Tests.Reading;

public sealed class TapReceiverTests(ITestOutputHelper output)
{
    [RootFact]
    public void A_frame_sent_out_of_the_tap_is_read_whole_with_its_header()
    {
        // linux-tap-ebpf.md §1/§7: one read is one frame, vnet header first.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        using TapReceiver receiver = TapReceiver.Start(device);
        using var socket = TestTraffic.Open(ns, device);
        byte[] payload = TestTraffic.Udp4(4000);

        socket.Send(payload, 0x0800, TestTraffic.SelftestDestination);

        TapFrame frame = TestTraffic.Take(receiver.Queues[0], 1)[0];
        using (frame)
        {
            Assert.Equal(20, frame.Header.Length);
            Assert.Equal(TestTraffic.SelftestDestination, frame.Frame[..6].ToArray());
            Assert.Equal(payload, frame.Frame[14..].ToArray());
            Assert.Equal(0, frame.Queue);
        }

        ReceiveQueueStatistics statistics = receiver.Queues[0].Statistics;
        Assert.Equal(1, statistics.Delivered);
        Assert.Equal(20 + 14 + payload.Length, statistics.Bytes);
        Assert.Equal(1, statistics.CountOf(VnetHash.Hashing.HashReport.None));
    }

    [RootFact]
    public void Dispose_during_a_blocked_wait_wakes_the_reader_through_the_eventfd()
    {
        // linux-tap-ebpf.md §7: closing an fd does not wake a blocked read, so readers poll {queue fd, eventfd}.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        TapReceiver receiver = TapReceiver.Start(device);
        Thread.Sleep(100);
        ValueTask<bool> waiting = receiver.Queues[0].WaitToReadAsync();
        Assert.False(waiting.IsCompleted);

        var clock = Stopwatch.StartNew();
        receiver.Dispose();
        output.WriteLine($"readers stopped {clock.Elapsed.TotalMilliseconds:F1} ms after dispose");

        // Dispose throws when a reader does not stop; here it returned, and the consumer sees the end.
        Assert.False(waiting.AsTask().GetAwaiter().GetResult());
        Assert.True(receiver.Queues[0].Completion.IsCompletedSuccessfully);
    }

    [RootFact]
    public void A_device_deleted_under_a_reader_ends_it_with_a_device_gone_error()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        using TapReceiver receiver = TapReceiver.Start(device);
        Thread.Sleep(50);

        ns.DeleteLink(device.Name);

        var error = Assert.ThrowsAsync<TapException>(async () => await receiver.Queues[1].ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20))).GetAwaiter().GetResult();
        Assert.Equal(TapError.DeviceGone, error.Error);
        Assert.Contains("deleted", error.Message, StringComparison.Ordinal);
        Assert.Same(receiver.Failure, error);
    }

    [RootFact]
    public void Closing_a_queue_under_its_reader_ends_reading_instead_of_hanging()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        using TapReceiver receiver = TapReceiver.Start(device);
        device.Queues[0].Dispose();
        var error = Assert.ThrowsAsync<TapException>(async () => await receiver.Queues[0].Completion.WaitAsync(TimeSpan.FromSeconds(20))).GetAwaiter().GetResult();
        Assert.Equal(TapError.DeviceGone, error.Error);
    }

    [RootFact]
    public void A_full_receive_queue_drops_and_counts_in_drop_mode()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        using TapReceiver receiver = TapReceiver.Start(device, new TapReaderOptions { MaxQueuedFrames = 4, WhenFull = FullQueueBehavior.Drop });
        using var socket = TestTraffic.Open(ns, device);
        for (ushort i = 0; i < 20; i++)
        {
            socket.Send(TestTraffic.Udp4((ushort)(5000 + i)), 0x0800, TestTraffic.SelftestDestination);
        }

        // A reader counts a batch read before it hands the batch's frames over, and counts each frame delivered before
        // it publishes the batch's block to the queue: wait until all 20 are accounted and the delivered ones queued.
        TestTraffic.WaitUntil(
            () => receiver.KernelQueues[0].FramesRead == 20 && receiver.Queues[0].Statistics is { } now
                && now.Delivered + now.Dropped == 20 && now.Queued == now.Delivered,
            "20 frames read, each delivered or dropped, and the delivered ones queued");
        ReceiveQueueStatistics statistics = receiver.Queues[0].Statistics;
        Assert.Equal(4, statistics.Delivered);
        Assert.Equal(16, statistics.DroppedQueueFull);
        Assert.Equal(4, statistics.Queued);
    }

    [RootFact]
    public void A_full_receive_queue_pauses_reading_until_the_consumer_drains_half_in_pause_mode()
    {
        // style-anchors.md §5: pause at the limit, resume at half; nothing is lost while the kernel queue has room.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        // One frame per batch, so the reader holds no frame beyond the one it waits to queue.
        using TapReceiver receiver = TapReceiver.Start(device, new TapReaderOptions { MaxQueuedFrames = 4, WhenFull = FullQueueBehavior.Pause, BatchFrames = 1 });
        using var socket = TestTraffic.Open(ns, device);
        for (ushort i = 0; i < 20; i++)
        {
            socket.Send(TestTraffic.Udp4((ushort)(5000 + i)), 0x0800, TestTraffic.SelftestDestination);
        }

        TestTraffic.WaitUntil(() => receiver.Queues[0].Statistics.Queued == 4, "the queue to fill");
        Thread.Sleep(50);
        Assert.Equal(4, receiver.Queues[0].Statistics.Delivered);
        Assert.True(receiver.KernelQueues[0].FramesRead <= 5);

        List<TapFrame> frames = TestTraffic.Take(receiver.Queues[0], 20);
        ushort[] ports = [.. frames.Select(f => (ushort)((f.Frame[14 + 20] << 8) | f.Frame[14 + 21]))];
        frames.ForEach(f => f.Dispose());
        Assert.Equal(Enumerable.Range(5000, 20).Select(p => (ushort)p), ports);
        Assert.Equal(0, receiver.Queues[0].Statistics.DroppedQueueFull);
        Assert.True(receiver.Queues[0].Statistics.Paused >= 1);
    }

    [RootFact]
    public void Starting_and_stopping_readers_leaves_no_fd_behind()
    {
        using var ns = new NetworkNamespace();
        static void Round(NetworkNamespace ns)
        {
            using TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = TestTaps.NewName(), QueueCount = 3 }));
            using TapReceiver receiver = TapReceiver.Start(device);
        }

        Round(ns);
        int before = TestTaps.OpenFdCount();
        for (int i = 0; i < 3; i++)
        {
            Round(ns);
        }

        Assert.Equal(before, TestTaps.OpenFdCount());
    }
}
