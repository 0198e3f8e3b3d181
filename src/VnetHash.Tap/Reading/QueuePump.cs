using VnetHash.Hashing;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Reading;

/// <summary>
/// The reader of one kernel queue fd: a dedicated thread that takes batches of frames from its
/// <see cref="IQueueReader"/>, checks and routes each frame (the hash report is written into its header), and hands
/// the batch to the receiver's sink. Nothing on this path allocates, locks or wakes another thread per frame.
/// </summary>
internal sealed class QueuePump
{
    private readonly TapQueue _queue;
    private readonly int _index;
    private readonly TapReceiver _receiver;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IQueueReader? _reader;
    private long _framesRead;
    private long _bytesRead;
    private long _truncated;
    private long _misrouted;
    private long _atStop;

    internal QueuePump(TapQueue queue, int index, TapReceiver receiver)
    {
        _queue = queue;
        _index = index;
        _receiver = receiver;
        _thread = new Thread(Run) { IsBackground = true, Name = $"tap {queue.Device.Name} q{index}" };
    }

    internal TapQueue Queue => _queue;

    /// <summary>Completes once the reader is set up (faulted when setting it up failed).</summary>
    internal Task Started => _started.Task;

    internal KernelQueueStatistics Statistics => new(
        Volatile.Read(ref _framesRead),
        Volatile.Read(ref _bytesRead),
        Volatile.Read(ref _truncated),
        Volatile.Read(ref _misrouted),
        Volatile.Read(ref _atStop),
        Volatile.Read(ref _reader)?.BufferStalls ?? 0,
        _receiver.Engine);

    internal void Start() => _thread.Start();

    internal bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        FileDescriptorHandle fd = _queue.Handle;
        FileDescriptorHandle wake = _receiver.WakeHandle;
        bool fdAdded = false;
        bool wakeAdded = false;
        try
        {
            fd.DangerousAddRef(ref fdAdded);
            wake.DangerousAddRef(ref wakeAdded);
            IQueueReader reader = _receiver.CreateReader(fd.DangerousGetFd(), wake.DangerousGetFd(), $"{_queue.Device.Name} queue fd #{_queue.Id}");
            Volatile.Write(ref _reader, reader);
            _started.TrySetResult();
            try
            {
                Loop(reader);
            }
            finally
            {
                reader.Dispose();
                Volatile.Write(ref _framesRead, _framesRead + reader.Discarded);
                Volatile.Write(ref _atStop, reader.Discarded);
            }
        }
        catch (ObjectDisposedException)
        {
            Fail(ReadErrors.Closed($"{_queue.Device.Name} queue fd #{_queue.Id}"));
        }
        catch (Exception error)
        {
            Fail(error);
        }
        finally
        {
            if (fdAdded)
            {
                fd.DangerousRelease();
            }

            if (wakeAdded)
            {
                wake.DangerousRelease();
            }

            _receiver.OnPumpExited();
        }
    }

    private void Fail(Exception error)
    {
        if (!_started.TrySetException(error))
        {
            _receiver.OnPumpFailed(error);
        }
    }

    private void Loop(IQueueReader reader)
    {
        int headerSize = _queue.Device.VnetHeaderSize;
        int queueCount = _receiver.Queues.Count;
        var slots = new FrameSlot[_receiver.Options.BatchFrames];
        IFrameRouter router = _receiver.Router;
        IFrameSink sink = _receiver.Sink;
        CancellationToken stop = _receiver.StopToken;
        while (true)
        {
            int count = reader.Read(slots);
            if (count == 0)
            {
                return;
            }

            Span<FrameSlot> batch = slots.AsSpan(0, count);
            int kernelIndex = _queue.KernelIndex;
            int capacity = reader.ReadCapacity;
            int kept = 0;
            long bytes = 0;
            int truncated = 0;
            int misrouted = 0;
            for (int i = 0; i < batch.Length; i++)
            {
                FrameSlot frame = batch[i];
                bytes += frame.Length;
                if (frame.Length >= capacity || frame.Length < headerSize)
                {
                    truncated++;
                    continue;
                }

                int queue = router.Route(frame.Span, headerSize, kernelIndex, out HashReport report);
                if ((uint)queue >= (uint)queueCount)
                {
                    misrouted++;
                    continue;
                }

                frame.Queue = queue;
                frame.Report = (int)report;
                batch[kept++] = frame;
            }

            Volatile.Write(ref _framesRead, _framesRead + count);
            Volatile.Write(ref _bytesRead, _bytesRead + bytes);
            if (truncated + misrouted > 0)
            {
                Volatile.Write(ref _truncated, _truncated + truncated);
                Volatile.Write(ref _misrouted, _misrouted + misrouted);
            }

            if (kept > 0)
            {
                sink.Deliver(batch[..kept], headerSize, _index, stop);
            }

            reader.Recycle();
        }
    }
}
