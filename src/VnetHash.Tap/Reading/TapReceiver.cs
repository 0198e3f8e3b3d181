using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Reading;

/// <summary>
/// Reads every attached queue of a device on its own thread and hands the frames to bounded receive queues.
/// Stopping (dispose) wakes every reader through an eventfd and returns once they have left.
/// </summary>
/// <remarks>
/// <para>
/// If the device is deleted, a queue detached or its fd closed while reading, every receive queue completes with a
/// <see cref="TapException"/> (<see cref="TapError.DeviceGone"/>): consumers see the frames read so far, then the error.
/// Dispose the receiver before the device.
/// </para>
/// <para>
/// Buffers: each reader reads into one buffer of header + 64 KiB + 18 bytes + 1, enough for the largest frame tun
/// hands over with segmentation offloads on, whatever the offloads and MTU become while reading; a read that fills
/// it whole may have been cut and is dropped (<see cref="KernelQueueStatistics.DroppedTruncated"/>). Each frame is
/// then copied into a pooled buffer of its own length, so queued frames hold only their own bytes, and memory is
/// bounded by <see cref="TapReaderOptions.MaxQueuedBytes"/> per receive queue.
/// </para>
/// </remarks>
public sealed class TapReceiver : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly QueuePump[] _pumps;
    private readonly ReceiveQueue[] _queues;
    private readonly FileDescriptorHandle _wake;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Exception? _failure;
    private int _disposed;

    internal TapReceiver(TapDevice device, IReadOnlyList<TapQueue> sources, int receiveQueues, IFrameRouter router, TapReaderOptions options)
    {
        options.Validate();
        Device = device;
        Router = router;
        Options = options;
        _wake = Interop.Checked.EventFd();
        _queues = new ReceiveQueue[receiveQueues];
        for (int i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new ReceiveQueue(i, options);
        }

        _pumps = new QueuePump[sources.Count];
        for (int i = 0; i < _pumps.Length; i++)
        {
            _pumps[i] = new QueuePump(sources[i], i, this);
            sources[i].Closing += OnQueueClosing;
        }

        foreach (QueuePump pump in _pumps)
        {
            pump.Start();
        }
    }

    /// <summary>Starts reading every attached queue; receive queue <c>i</c> gets the frames of kernel queue <c>i</c>, headers untouched.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option breaks a rule.</exception>
    public static TapReceiver Start(TapDevice device, TapReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        IReadOnlyList<TapQueue> queues = device.Queues;
        return new TapReceiver(device, queues, queues.Count, PassThroughRouter.Instance, options ?? new TapReaderOptions());
    }

    /// <summary>The device read.</summary>
    public TapDevice Device { get; }

    /// <summary>The receive queues, by queue number.</summary>
    public IReadOnlyList<ReceiveQueue> Queues => _queues;

    /// <summary>The counters of each kernel queue reader, in the order the queues were attached when reading started.</summary>
    public IReadOnlyList<KernelQueueStatistics> KernelQueues => [.. _pumps.Select(p => p.Statistics)];

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

    internal FileDescriptorHandle WakeHandle => _wake;

    internal CancellationToken StopToken => _stop.Token;

    internal ReceiveQueue QueueAt(int index) => _queues[index];

    /// <summary>Stops every reader (they wake at once), completes the receive queues and returns the buffers of unread frames.</summary>
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

    internal void OnPumpFailed(Exception error)
    {
        lock (_gate)
        {
            _failure ??= error;
        }

        RequestStop();
        foreach (ReceiveQueue queue in _queues)
        {
            queue.Complete(error);
        }
    }

    private void OnQueueClosing(TapQueue queue) =>
        OnPumpFailed(new TapException(TapError.DeviceGone, 0, "close", $"reading {queue.Device.Name} ended: queue fd #{queue.Id} was closed while it was being read"));

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
