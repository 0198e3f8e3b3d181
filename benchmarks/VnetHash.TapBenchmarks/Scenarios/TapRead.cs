using System.Runtime.InteropServices;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;

namespace VnetHash.TapBenchmarks.Scenarios;

/// <summary>
/// A TAP reader to measure from outside (<c>benchmarks/tap-read/measure.sh</c> runs it in a namespace beside the C
/// reader and feeds both from the same C flood): it creates the device, prints <c>ready</c> on stderr once every
/// queue is read, counts frames on the readers' threads until SIGINT or SIGTERM, then prints what it read as JSON.
/// With <c>--report ebpf</c> the steering program picks the queue and each frame gets its hash report, as
/// <c>vnethash tap run --backend ebpf</c> does; with <c>--report none</c> the frames are read and counted only.
/// </summary>
internal sealed class TapRead(string name, int queues, ReaderEngine engine, bool report)
{
    public void Run()
    {
        using TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = name, QueueCount = queues, BringUp = false });
        File.WriteAllText($"/proc/sys/net/ipv6/conf/{name}/disable_ipv6", "1");
        long[] frames = new long[queues];
        long[] reports = new long[queues];
        void Count(TapFrameBatch batch)
        {
            frames[batch.Reader] += batch.Count;
            if (report)
            {
                foreach (TapFrameView frame in batch)
                {
                    reports[batch.Reader] += frame.Hash.Report == HashReport.None ? 0 : 1;
                }
            }
        }

        var options = new TapReaderOptions { Engine = engine };
        using var stop = new ManualResetEventSlim();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        IDisposable reader = report
            ? RssTap.Start(device, RssConfiguration.RoundRobin(queues, HashTypes.AllNonEx), Count, new RssTapOptions { Backend = SteeringBackendKind.Ebpf, Reader = options })
            : TapReceiver.Start(device, Count, options);
        device.SetLinkUp(true);
        Console.Error.WriteLine("ready");
        stop.Wait();
        reader.Dispose();
        Console.WriteLine($"{{\"reader\": \"dotnet-{(engine == ReaderEngine.IoUring ? "uring" : "poll")}{(report ? "-report" : string.Empty)}\", \"queues\": [{string.Join(", ", frames)}], \"frames\": {frames.Sum()}, \"reported\": {reports.Sum()}}}");

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
    }
}
