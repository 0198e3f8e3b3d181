using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace VnetHash.Tap.Reading;

/// <summary>
/// The frames steered to one queue, waiting for a consumer on another thread. Readers hand frames over in whole
/// blocks, one per batch, so the consumer is woken at most once per batch; taking a frame copies nothing (the frame
/// references its block until disposed). Bounded by frames and bytes: at the limit its readers pause (or drop, see
/// <see cref="FullQueueBehavior"/>) until the consumer has drained it to half.
/// </summary>
/// <remarks>
/// One consumer at a time. Every frame taken must be disposed. A receiver started with a <see cref="TapFrameHandler"/>
/// hands its frames to the handler instead; its receive queues then only count and complete.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The event is only waited on with a token, so it never allocates a kernel wait handle; consumers may still take frames after the receiver stopped, so it is never disposed.")]
public sealed class ReceiveQueue
{
    private readonly Lock _gate = new();
    private readonly Queue<FrameBlock> _published = new();
    private readonly Stack<FrameBlock> _free = new();
    private readonly ManualResetEventSlim _space = new(initialState: true);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReceiveCounters[] _counters;
    private readonly TapReaderOptions _options;
    private readonly int _blockSize;
    private readonly int _headerSize;
    private readonly int _freeLimit;
    private readonly long _maxBytes;
    private TaskCompletionSource<bool>? _waiter;
    private ExceptionDispatchInfo? _error;
    private FrameBlock? _reading;
    private FrameBlock? _last;
    private int _readOffset;
    private int _readLeft;
    private int _queuedFrames;
    private long _queuedBytes;
    private bool _full;
    private bool _completed;

    internal ReceiveQueue(int index, TapReaderOptions options, int readers, int headerSize, int blockSize)
    {
        Index = index;
        _options = options;
        _headerSize = headerSize;
        _blockSize = blockSize;
        _counters = new ReceiveCounters[readers];
        for (int i = 0; i < readers; i++)
        {
            _counters[i] = new ReceiveCounters();
        }

        // The limit holds at least one block, so a queue never refuses every frame.
        _maxBytes = Math.Max(options.MaxQueuedBytes, blockSize);

        // Enough idle blocks for a full queue and one open block per reader; more go to the collector.
        _freeLimit = (int)Math.Min(4096, (_maxBytes / blockSize) + readers + 2);
    }

    /// <summary>The queue number frames were steered to.</summary>
    public int Index { get; }

    /// <summary>Completes when reading stopped: normally, or faulted with the error that ended it (for example <see cref="Errors.TapError.DeviceGone"/>).</summary>
    public Task Completion => _completion.Task;

    /// <summary>The error that ended reading, or null.</summary>
    public Exception? Error => _error?.SourceException;

    /// <summary>The counters now.</summary>
    public ReceiveQueueStatistics Statistics
    {
        get
        {
            long delivered = 0, bytes = 0, full = 0, stopped = 0, paused = 0;
            long[] reports = new long[ReceiveCounters.ReportBuckets];
            foreach (ReceiveCounters c in _counters)
            {
                delivered += Volatile.Read(ref c.Delivered);
                bytes += Volatile.Read(ref c.Bytes);
                full += Volatile.Read(ref c.DroppedQueueFull);
                stopped += Volatile.Read(ref c.DroppedStopped);
                paused += Volatile.Read(ref c.Paused);
                for (int r = 0; r < reports.Length; r++)
                {
                    reports[r] += Volatile.Read(ref c.Reports[r]);
                }
            }

            return new ReceiveQueueStatistics(delivered, bytes, full, stopped, paused, Volatile.Read(ref _queuedFrames), reports);
        }
    }

    /// <summary>Takes the next frame if one is waiting. It references the block it arrived in until disposed.</summary>
    public bool TryRead(out TapFrame frame)
    {
        if (_readLeft == 0 && !TakeBlock())
        {
            frame = default;
            return false;
        }

        FrameBlock block = _reading!;
        (int offset, int length, int next) = block.RecordAt(_readOffset);
        block.AddReference();
        frame = TapFrame.InBlock(block, offset, length, _headerSize, Index);
        _readOffset = next;
        if (--_readLeft == 0)
        {
            _reading = null;
            block.Release();
        }

        return true;
    }

    /// <summary>Waits until a frame is waiting (true) or reading ended and every frame was taken (false; <see cref="Error"/> says why).</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        Task<bool> waiting;
        lock (_gate)
        {
            if (_readLeft > 0 || _published.Count > 0)
            {
                return true;
            }

            if (_completed)
            {
                return false;
            }

            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _waiter.Task;
        }

        return await waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for and takes the next frame.</summary>
    /// <exception cref="Errors.TapException">Reading ended with this error (for example the device was deleted).</exception>
    /// <exception cref="InvalidOperationException">Reading was stopped and every frame was taken.</exception>
    public async ValueTask<TapFrame> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (TryRead(out TapFrame frame))
            {
                return frame;
            }
        }

        _error?.Throw();
        throw new InvalidOperationException($"receive queue {Index} was stopped");
    }

    /// <summary>Every frame until reading stops; throws the error that ended reading, if any, after the last frame.</summary>
    public async IAsyncEnumerable<TapFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out TapFrame frame))
            {
                yield return frame;
            }
        }

        _error?.Throw();
    }

    /// <summary>The counters reader <paramref name="reader"/> keeps for this queue.</summary>
    internal ReceiveCounters CountersOf(int reader) => _counters[reader];

    /// <summary>Whether <paramref name="frames"/> more frames, in one more block, stay within the limits (bytes count whole blocks: the memory they hold).</summary>
    internal bool HasRoom(int frames) =>
        Volatile.Read(ref _queuedFrames) + frames <= _options.MaxQueuedFrames && Volatile.Read(ref _queuedBytes) + _blockSize <= _maxBytes;

    /// <summary>An empty block from this queue's pool.</summary>
    internal FrameBlock RentBlock()
    {
        FrameBlock? block = null;
        lock (_gate)
        {
            _free.TryPop(out block);
        }

        block ??= new FrameBlock(this, _blockSize);
        block.Reset();
        return block;
    }

    /// <summary>Takes back a block whose frames were all read and disposed.</summary>
    internal void ReturnBlock(FrameBlock block)
    {
        lock (_gate)
        {
            if (_free.Count < _freeLimit)
            {
                _free.Push(block);
            }
        }
    }

    /// <summary>
    /// Makes a filled block visible to the consumer and wakes it if it waits. The queue takes the block: a block at
    /// most half full whose records fit in the last waiting block (one the consumer has not taken yet) is copied into
    /// it and given back to the pool, so frames that arrive a few per batch while the consumer lags fill blocks
    /// instead of each holding a whole block of the byte limit.
    /// </summary>
    internal void Publish(FrameBlock block)
    {
        TaskCompletionSource<bool>? waiter;
        bool merged;
        lock (_gate)
        {
            merged = block.Used <= _blockSize / 2 && _last is not null && _last.TryAppendRecords(block);
            if (!merged)
            {
                _published.Enqueue(block);
                _last = block;
                Volatile.Write(ref _queuedBytes, _queuedBytes + block.Data.Length);
            }

            Volatile.Write(ref _queuedFrames, _queuedFrames + block.Count);
            waiter = _waiter;
            _waiter = null;
        }

        if (merged)
        {
            block.Release();
        }

        waiter?.TrySetResult(true);
    }

    /// <summary>
    /// Marks the queue full and blocks until the consumer has drained it to half its limits; false when
    /// <paramref name="stop"/> fired first.
    /// </summary>
    internal bool WaitForSpace(CancellationToken stop)
    {
        lock (_gate)
        {
            if (!_full && (_queuedFrames > _options.MaxQueuedFrames / 2 || _queuedBytes > _maxBytes / 2))
            {
                _full = true;
                _space.Reset();
            }
        }

        try
        {
            _space.Wait(stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ends the queue; frames already queued stay readable.</summary>
    internal void Complete(Exception? error)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            if (error is not null)
            {
                _error ??= ExceptionDispatchInfo.Capture(error);
            }

            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(false);
        if (error is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    /// <summary>Releases the blocks of frames nobody took.</summary>
    internal void DrainUnread()
    {
        while (TryRead(out TapFrame frame))
        {
            frame.Dispose();
        }
    }

    private bool TakeBlock()
    {
        lock (_gate)
        {
            if (!_published.TryDequeue(out FrameBlock? block))
            {
                return false;
            }

            if (block == _last)
            {
                _last = null;
            }

            _queuedFrames -= block.Count;
            _queuedBytes -= block.Data.Length;
            if (_full && _queuedFrames <= _options.MaxQueuedFrames / 2 && _queuedBytes <= _maxBytes / 2)
            {
                _full = false;
                _space.Set();
            }

            _reading = block;
            _readOffset = 0;
            _readLeft = block.Count;
            if (_readLeft == 0)
            {
                _reading = null;
                block.Release();
                return false;
            }

            return true;
        }
    }
}
