namespace VnetHash.Tap.Reading;

/// <summary>
/// The frames one reader took from its kernel queue at once, lent to a <see cref="TapFrameHandler"/> on the reader's
/// own thread until it returns: no copy, no allocation and no thread switch per frame.
/// </summary>
public readonly ref struct TapFrameBatch
{
    private readonly ReadOnlySpan<FrameSlot> _frames;

    internal TapFrameBatch(ReadOnlySpan<FrameSlot> frames, int headerSize, int reader)
    {
        _frames = frames;
        HeaderSize = headerSize;
        Reader = reader;
    }

    /// <summary>How many frames the batch holds.</summary>
    public int Count => _frames.Length;

    /// <summary>The virtio-net header size of every frame.</summary>
    public int HeaderSize { get; }

    /// <summary>
    /// Which reader delivered the batch (its position in <see cref="TapReceiver.KernelQueues"/>). With the kernel and eBPF
    /// backends every frame of a batch has the same <see cref="TapFrameView.Queue"/>; the userspace backend spreads one
    /// kernel queue over several.
    /// </summary>
    public int Reader { get; }

    /// <summary>The frame at <paramref name="index"/>.</summary>
    public TapFrameView this[int index]
    {
        get
        {
            FrameSlot slot = _frames[index];
            return new TapFrameView(slot.Span, HeaderSize, slot.Queue);
        }
    }

    /// <summary>Enumerates the frames.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates the frames of a batch.</summary>
    public ref struct Enumerator
    {
        private readonly TapFrameBatch _batch;
        private int _index;

        internal Enumerator(TapFrameBatch batch)
        {
            _batch = batch;
            _index = -1;
        }

        /// <summary>The frame at the current position.</summary>
        public readonly TapFrameView Current => _batch[_index];

        /// <summary>Moves to the next frame.</summary>
        public bool MoveNext() => ++_index < _batch.Count;
    }
}
