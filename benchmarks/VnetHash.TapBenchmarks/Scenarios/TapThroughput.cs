using System.Diagnostics;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;
using VnetHash.TapBenchmarks.Infrastructure;
using VnetHash.TapBenchmarks.Traffic;
using VnetHash.Traffic;

namespace VnetHash.TapBenchmarks.Scenarios;

/// <summary>
/// Frames per second through one TAP queue: the same AF_PACKET sender of prebuilt 60-byte frames, read by a
/// plain loop, by the same loop computing each frame's hash report into its header, by the pooled reader
/// without reports, and by <see cref="RssTap"/> with the userspace and eBPF backends (hash report on read).
/// </summary>
internal sealed class TapThroughput
{
    private const string DeviceName = "vnhbench1";

    private readonly TimeSpan _duration;
    private readonly TimeSpan _warmUp = TimeSpan.FromMilliseconds(500);

    public TapThroughput(TimeSpan duration) => _duration = duration;

    public void Run()
    {
        PrivateNamespace.DisableIPv6();
        using TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = DeviceName, QueueCount = 1 });
        PrivateNamespace.DisableIPv6(device.Name);
        FrameStream stream = FrameStream.Mixed(64);
        byte[][] frames = [.. stream.Frames.Where(f => f.Length == FrameStream.MinimumFrameLength)];
        var steering = new RssSteering(RssConfiguration.RoundRobin(1));

        Console.WriteLine($"one queue, {device.VnetHeaderSize}-byte vnet header, {frames.Length} distinct 60-byte IPv4 TCP/UDP frames, {_duration.TotalSeconds:0} s per reader after {_warmUp.TotalMilliseconds:0} ms warm-up");
        Console.WriteLine($"{"reader",-34} {"frames/s read",14} {"sent/s",12} {"tap drops/s",12} {"reports",9}");
        Report("plain read loop", Measure(device, frames, stop => PlainLoop(device, stop, null)));
        Report("plain read loop + hash report", Measure(device, frames, stop => PlainLoop(device, stop, steering)));
        Report("TapReceiver (pooled, no report)", MeasureReceiver(device, frames, () => TapReceiver.Start(device), r => r.Queues[0]));
        Report("RssTap userspace (report on read)", MeasureRssTap(device, frames, SteeringBackendKind.Userspace));
        Report("RssTap eBPF (report on read)", MeasureRssTap(device, frames, SteeringBackendKind.Ebpf));
    }

    private static void Report(string reader, Result? result)
    {
        if (result is { } r)
        {
            Console.WriteLine($"{reader,-34} {r.Read,14:N0} {r.Sent,12:N0} {r.Dropped,12:N0} {r.Reports,9:P0}");
        }
    }

    private Result? MeasureRssTap(TapDevice device, byte[][] frames, SteeringBackendKind backend)
    {
        try
        {
            return MeasureReceiver(device, frames, () => RssTap.Start(device, RssConfiguration.RoundRobin(1), new RssTapOptions { Backend = backend }), r => r.Queues[0]);
        }
        catch (Exception e) when (e is TapException or ArgumentException)
        {
            Console.WriteLine($"RssTap {backend}: not measured, the backend is not available here ({e.Message})");
            return null;
        }
    }

    private Result MeasureReceiver<T>(TapDevice device, byte[][] frames, Func<T> start, Func<T, ReceiveQueue> queueOf)
        where T : IDisposable
    {
        using T reader = start();
        ReceiveQueue queue = queueOf(reader);
        return Measure(device, frames, stop => Consume(queue, stop));
    }

    /// <summary>Runs the sender and <paramref name="reader"/> together and counts over the measured window.</summary>
    private Result Measure(TapDevice device, byte[][] frames, Func<Counters, Task> reader)
    {
        var counters = new Counters();
        using var socket = PacketSocket.OpenRaw(device.InterfaceIndex);
        Task read = reader(counters);
        var sender = new Thread(() =>
        {
            for (long i = 0; !counters.Stop; i++)
            {
                socket.SendFrame(frames[i % frames.Length]);
                Interlocked.Increment(ref counters.Sent);
            }
        })
        { IsBackground = true, Name = "sender" };
        sender.Start();
        Thread.Sleep(_warmUp);

        long dropped0 = Dropped(), read0 = Volatile.Read(ref counters.Read), sent0 = Volatile.Read(ref counters.Sent), reports0 = Volatile.Read(ref counters.Reports);
        var clock = Stopwatch.StartNew();
        Thread.Sleep(_duration);
        double seconds = clock.Elapsed.TotalSeconds;
        long dropped1 = Dropped(), read1 = Volatile.Read(ref counters.Read), sent1 = Volatile.Read(ref counters.Sent), reports1 = Volatile.Read(ref counters.Reports);

        counters.Stop = true;
        sender.Join();
        read.GetAwaiter().GetResult();
        long frames1 = Math.Max(1, read1 - read0);
        return new Result((read1 - read0) / seconds, (sent1 - sent0) / seconds, (dropped1 - dropped0) / seconds, (reports1 - reports0) / (double)frames1);
    }

    private static Task PlainLoop(TapDevice device, Counters counters, RssSteering? steering) => Task.Factory.StartNew(
        () =>
        {
            TapQueue queue = device.Queues[0];
            int header = device.VnetHeaderSize;
            byte[] buffer = new byte[2048];
            while (!counters.Stop)
            {
                if (!queue.TryRead(buffer, out int length))
                {
                    queue.WaitReadable(TimeSpan.FromMilliseconds(50));
                    continue;
                }

                if (steering is not null)
                {
                    Span<byte> packet = buffer.AsSpan(0, length);
                    RssDecision decision = steering.Decide(packet[header..], FrameKind.Ethernet, 1, packet[..header]);
                    if (decision.Hash.Report != HashReport.None)
                    {
                        Interlocked.Increment(ref counters.Reports);
                    }
                }

                Interlocked.Increment(ref counters.Read);
            }
        },
        TaskCreationOptions.LongRunning);

    private static Task Consume(ReceiveQueue queue, Counters counters) => Task.Factory.StartNew(
        () =>
        {
            while (!counters.Stop)
            {
                while (queue.TryRead(out TapFrame frame))
                {
                    if (frame.Hash.Report != HashReport.None)
                    {
                        Interlocked.Increment(ref counters.Reports);
                    }

                    frame.Dispose();
                    Interlocked.Increment(ref counters.Read);
                }

                using var timeout = new CancellationTokenSource(50);
                try
                {
                    _ = queue.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    // No frame within the timeout: look at the stop flag again.
                }
            }
        },
        TaskCreationOptions.LongRunning);

    private static long Dropped() => long.Parse(File.ReadAllText($"/sys/class/net/{DeviceName}/statistics/tx_dropped").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Counters
    {
        public long Read;
        public long Sent;
        public long Reports;
        public volatile bool Stop;
    }

    private readonly record struct Result(double Read, double Sent, double Dropped, double Reports);
}
