using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>
/// The frames steered to one queue, waiting for the consumer. Bounded by frames and bytes: at the limit its reader
/// pauses (or drops, see <see cref="FullQueueBehavior"/>) until the consumer drains it to half.
/// </summary>
/// <remarks>One consumer at a time. Every frame taken must be disposed.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The event is only waited on with a token, so it never allocates a kernel wait handle; consumers may still take frames after the receiver stopped, so it is never disposed.")]
public sealed class ReceiveQueue
{
    private const int ReportBuckets = 11;
    private readonly Channel<TapFrame> _frames = Channel.CreateUnbounded<TapFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly ManualResetEventSlim _space = new(initialState: true);
    private readonly Lock _gate = new();
    private readonly TapReaderOptions _options;
    private readonly long[] _reports = new long[ReportBuckets];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExceptionDispatchInfo? _error;
    private int _queuedFrames;
    private long _queuedBytes;
    private bool _full;
    private long _delivered;
    private long _bytes;
    private long _dropped;
    private long _paused;

    internal ReceiveQueue(int index, TapReaderOptions options)
    {
        Index = index;
        _options = options;
    }

    /// <summary>The queue number frames were steered to.</summary>
    public int Index { get; }

    /// <summary>Completes when the reader stopped: normally, or faulted with the error that ended it (for example <see cref="Errors.TapError.DeviceGone"/>).</summary>
    public Task Completion => _completion.Task;

    /// <summary>The error that ended reading, or null.</summary>
    public Exception? Error => _error?.SourceException;

    /// <summary>The counters now.</summary>
    public ReceiveQueueStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new ReceiveQueueStatistics(_delivered, _bytes, _dropped, _paused, _queuedFrames, [.. _reports]);
            }
        }
    }

    /// <summary>Takes the next frame if one is waiting.</summary>
    public bool TryRead(out TapFrame frame)
    {
        if (!_frames.Reader.TryRead(out frame))
        {
            return false;
        }

        OnTaken(frame);
        return true;
    }

    /// <summary>Waits until a frame is waiting (true) or reading ended (false; <see cref="Error"/> says why).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => _frames.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Waits for and takes the next frame.</summary>
    /// <exception cref="Errors.TapException">Reading ended with this error (for example the device was deleted).</exception>
    /// <exception cref="InvalidOperationException">Reading was stopped and every frame was taken.</exception>
    public async ValueTask<TapFrame> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (await _frames.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
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
        while (await _frames.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out TapFrame frame))
            {
                yield return frame;
            }
        }

        _error?.Throw();
    }

    /// <summary>Whether a new frame would be refused now.</summary>
    internal bool IsFull
    {
        get
        {
            lock (_gate)
            {
                return _full;
            }
        }
    }

    /// <summary>Adds a frame; false when the queue is full (the caller keeps ownership of the frame).</summary>
    internal bool TryAdd(TapFrame frame, HashReport report)
    {
        lock (_gate)
        {
            if (_full)
            {
                return false;
            }

            _queuedFrames++;
            _queuedBytes += frame.Length;
            _delivered++;
            _bytes += frame.Length;
            _reports[Math.Min((int)report, ReportBuckets - 1)]++;
            if (_queuedFrames >= _options.MaxQueuedFrames || _queuedBytes >= _options.MaxQueuedBytes)
            {
                _full = true;
                _space.Reset();
                if (_options.WhenFull == FullQueueBehavior.Pause)
                {
                    _paused++;
                }
            }
        }

        if (!_frames.Writer.TryWrite(frame))
        {
            // Completed concurrently: nobody will read it.
            frame.Dispose();
        }

        return true;
    }

    /// <summary>Counts a frame dropped because the queue was full.</summary>
    internal void CountDropped()
    {
        lock (_gate)
        {
            _dropped++;
        }
    }

    /// <summary>Blocks until the queue has room again; false when <paramref name="stop"/> fired first.</summary>
    internal bool WaitForSpace(CancellationToken stop)
    {
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
        if (error is not null)
        {
            _error ??= ExceptionDispatchInfo.Capture(error);
        }

        _frames.Writer.TryComplete();
        if (error is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    /// <summary>Returns the buffers of frames nobody took.</summary>
    internal void DrainUnread()
    {
        while (TryRead(out TapFrame frame))
        {
            frame.Dispose();
        }
    }

    private void OnTaken(TapFrame frame)
    {
        lock (_gate)
        {
            _queuedFrames--;
            _queuedBytes -= frame.Length;
            if (_full && _queuedFrames <= _options.MaxQueuedFrames / 2 && _queuedBytes <= _options.MaxQueuedBytes / 2)
            {
                _full = false;
                _space.Set();
            }
        }
    }
}
