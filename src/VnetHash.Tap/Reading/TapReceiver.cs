using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Reading;

/// <summary>
/// Reads every attached queue of a device, each on its own thread, and hands the frames over in batches: to a
/// <see cref="TapFrameHandler"/> on the reader's thread (run to completion, frames lent without a copy), or to
/// bounded receive queues for consumers on other threads. Stopping (dispose) wakes every reader through an eventfd
/// and returns once they have left.
/// </summary>
/// <remarks>
/// <para>
/// Readers use io_uring multishot reads where the kernel has them and <c>poll</c> + <c>read</c> otherwise
/// (<see cref="Engine"/>, <see cref="EngineReason"/>). If the device is deleted, a queue's fd closed or the handler
/// throws, reading ends: every receive queue and <see cref="Completion"/> complete with the error (a
/// <see cref="TapException"/> with <see cref="TapError.DeviceGone"/> for the first two); consumers see the frames read
/// so far, then the error. Dispose the receiver before the device.
/// </para>
/// <para>
/// Accounting: every frame a reader takes from the kernel is either delivered or dropped with a reason, so the
/// sum of <see cref="KernelQueueStatistics.FramesRead"/> equals the sum of every queue's
/// <see cref="ReceiveQueueStatistics.Delivered"/> and <see cref="ReceiveQueueStatistics.Dropped"/> plus every reader's
/// <see cref="KernelQueueStatistics.Dropped"/> once the readers are idle (a reader counts a batch read before it hands
/// the batch's frames over, and a reader paused at a full queue holds the rest of its batch until there is room).
/// Frames the kernel could not queue are its <c>tx_dropped</c>
/// (<see cref="TapDevice.ReadStatistics"/>).
/// </para>
/// </remarks>
public sealed class TapReceiver : IDisposable
{
    private const int PollBatchBytes = 64 << 10;
    private const int IoUringMemoryPerQueue = 16 << 20;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly QueuePump[] _pumps;
    private readonly ReceiveQueue[] _queues;
    private readonly FileDescriptorHandle _wake;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly int _readCapacity;
    private readonly int _ioUringBuffers;
    private Exception? _failure;
    private int _running;
    private int _disposed;

    internal TapReceiver(TapDevice device, IReadOnlyList<TapQueue> sources, int receiveQueues, IFrameRouter router, TapReaderOptions options, TapFrameHandler? handler)
    {
        options.Validate();
        Device = device;
        Router = router;
        Options = options;
        (Engine, EngineReason) = ChooseEngine(options.Engine);
        _readCapacity = ReadCapacityFor(device, Engine);
        _ioUringBuffers = Math.Min(options.IoUringBuffers, (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(IoUringMemoryPerQueue / _readCapacity)) / 2));
        int blockSize = Math.Max(16 << 10, (FrameBlock.RecordSize(_readCapacity) + 4095) & ~4095);
        _queues = new ReceiveQueue[receiveQueues];
        for (int i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new ReceiveQueue(i, options, sources.Count, device.VnetHeaderSize, blockSize);
        }

        Sink = handler is null ? new QueueSink(_queues, options.WhenFull, sources.Count) : new HandlerSink(handler, _queues);
        _wake = Interop.Checked.EventFd();
        _pumps = new QueuePump[sources.Count];
        for (int i = 0; i < _pumps.Length; i++)
        {
            _pumps[i] = new QueuePump(sources[i], i, this);
            sources[i].Closing += OnQueueClosing;
        }

        _running = _pumps.Length;
        foreach (QueuePump pump in _pumps)
        {
            pump.Start();
        }

        try
        {
            Task.WaitAll([.. _pumps.Select(p => p.Started)], StopTimeout);
        }
        catch (AggregateException error)
        {
            Dispose();
            throw error.InnerExceptions[0];
        }
    }

    /// <summary>Starts reading every attached queue; receive queue <c>i</c> gets the frames of kernel queue <c>i</c>, headers untouched.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option breaks a rule.</exception>
    /// <exception cref="TapException">The reader engine asked for is not available, or a reader could not be set up.</exception>
    public static TapReceiver Start(TapDevice device) => Start(device, new TapReaderOptions());

    /// <summary>As <see cref="Start(TapDevice)"/>, with options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option breaks a rule.</exception>
    /// <exception cref="TapException">The reader engine asked for is not available, or a reader could not be set up.</exception>
    public static TapReceiver Start(TapDevice device, TapReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<TapQueue> queues = device.Queues;
        return new TapReceiver(device, queues, queues.Count, PassThroughRouter.Instance, options, null);
    }

    /// <summary>Starts reading every attached queue and gives each batch to <paramref name="handler"/> on the reader's thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option breaks a rule.</exception>
    /// <exception cref="TapException">The reader engine asked for is not available, or a reader could not be set up.</exception>
    public static TapReceiver Start(TapDevice device, TapFrameHandler handler) => Start(device, handler, new TapReaderOptions());

    /// <summary>As <see cref="Start(TapDevice, TapFrameHandler)"/>, with options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option breaks a rule.</exception>
    /// <exception cref="TapException">The reader engine asked for is not available, or a reader could not be set up.</exception>
    public static TapReceiver Start(TapDevice device, TapFrameHandler handler, TapReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<TapQueue> queues = device.Queues;
        return new TapReceiver(device, queues, queues.Count, PassThroughRouter.Instance, options, handler);
    }

    /// <summary>The device read.</summary>
    public TapDevice Device { get; }

    /// <summary>The receive queues, by queue number (with a handler they only count and complete).</summary>
    public IReadOnlyList<ReceiveQueue> Queues => _queues;

    /// <summary>The counters of each kernel queue reader, in the order the queues were attached when reading started.</summary>
    public IReadOnlyList<KernelQueueStatistics> KernelQueues => [.. _pumps.Select(p => p.Statistics)];

    /// <summary>How the kernel queues are read.</summary>
    public ReaderEngine Engine { get; }

    /// <summary>Why that engine: what the probe found, or that it was asked for.</summary>
    public string EngineReason { get; }

    /// <summary>Completes when every reader has stopped: faulted with the error that ended reading, if one did.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The error that ended reading, or null.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    internal TapReaderOptions Options { get; }

    internal IFrameRouter Router { get; }

    internal IFrameSink Sink { get; }

    internal FileDescriptorHandle WakeHandle => _wake;

    internal CancellationToken StopToken => _stop.Token;

    /// <summary>Stops every reader (they wake at once), completes the receive queues and returns the memory of unread frames.</summary>
    /// <exception cref="TapException">A reader did not stop within 5 s.</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        StopPumps();
        foreach (QueuePump pump in _pumps)
        {
            pump.Queue.Closing -= OnQueueClosing;
        }

        foreach (ReceiveQueue queue in _queues)
        {
            queue.Complete(Failure);
            queue.DrainUnread();
        }

        _wake.Dispose();
        _stop.Dispose();
    }

    /// <summary>Sets up the reader of one queue fd, on the calling (reader) thread.</summary>
    internal IQueueReader CreateReader(int fd, int wakeFd, string subject) => Engine == ReaderEngine.IoUring
        ? new IoUringReader(fd, wakeFd, _readCapacity, _ioUringBuffers, subject)
        : new PollReader(fd, wakeFd, _readCapacity, PollBatchBytes, subject);

    internal void OnPumpFailed(Exception error)
    {
        // Readers of several queues can fail at once (a deleted device ends them all): the first error recorded is
        // the one every queue ends with, as Failure and Completion report it.
        Exception first;
        lock (_gate)
        {
            first = _failure ??= error;
        }

        RequestStop();
        foreach (ReceiveQueue queue in _queues)
        {
            queue.Complete(first);
        }
    }

    internal void OnPumpExited()
    {
        if (Interlocked.Decrement(ref _running) != 0)
        {
            return;
        }

        Exception? failure = Failure;
        foreach (ReceiveQueue queue in _queues)
        {
            queue.Complete(failure);
        }

        if (failure is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(failure);
        }
    }

    /// <summary>
    /// The bytes offered to one read: the header and the longest frame the device can hand over, plus one byte so a
    /// cut frame can be told apart. poll+read offers what any frame can need (64 KiB of GSO payload plus Ethernet
    /// and a VLAN tag), since the MTU and offloads may change while reading. io_uring lends one buffer per frame, so
    /// its buffers are sized for the MTU now (or 64 KiB with segmentation offloads); a frame longer than that, after
    /// the MTU was raised, is counted as truncated.
    /// </summary>
    private static int ReadCapacityFor(TapDevice device, ReaderEngine engine)
    {
        const int LinkHeaders = 14 + 4;
        int largestFrame = engine == ReaderEngine.PollRead || (device.Offloads & TapOffloads.Segmentation) != 0
            ? ushort.MaxValue + LinkHeaders
            : Math.Max(device.Mtu, 1500) + LinkHeaders;
        return (device.VnetHeaderSize + largestFrame + 1 + 63) & ~63;
    }

    private static (ReaderEngine Engine, string Reason) ChooseEngine(ReaderEngine requested)
    {
        ReaderEngineSupport support = ReaderEngineSupport.Current;
        return requested switch
        {
            ReaderEngine.PollRead => (ReaderEngine.PollRead, "poll+read: asked for"),
            ReaderEngine.IoUring when support.Auto != ReaderEngine.IoUring =>
                throw new TapException(TapError.NotSupported, 0, "io_uring", $"the io_uring reader is not available here: {support.Reason}"),
            ReaderEngine.IoUring => (ReaderEngine.IoUring, $"asked for; {support.Reason}"),
            _ => (support.Auto, support.Reason),
        };
    }

    private void OnQueueClosing(TapQueue queue) =>
        OnPumpFailed(ReadErrors.Closed($"{queue.Device.Name} queue fd #{queue.Id}"));

    private void RequestStop()
    {
        try
        {
            _stop.Cancel();
            Interop.Checked.Signal(_wake);
        }
        catch (ObjectDisposedException)
        {
            // Already stopped and disposed.
        }
    }

    private void StopPumps()
    {
        RequestStop();
        foreach (QueuePump pump in _pumps)
        {
            if (!pump.Join(StopTimeout))
            {
                throw new TapException(TapError.Other, 0, "stop", $"a reader of {Device.Name} did not stop within {StopTimeout.TotalSeconds} s");
            }
        }
    }
}
