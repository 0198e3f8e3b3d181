namespace VnetHash.Tap.Reading;

/// <summary>Where a reader's routed batches go: a handler on the reader's thread, or the receive queues.</summary>
internal interface IFrameSink
{
    /// <summary>Hands over one batch of routed frames (each <see cref="FrameSlot.Queue"/> set); the frames are lent until it returns.</summary>
    /// <param name="frames">The frames.</param>
    /// <param name="headerSize">The vnet header size.</param>
    /// <param name="reader">The index of the reader that read them.</param>
    /// <param name="stop">Fires when reading stops; a sink that waits for room gives up then.</param>
    void Deliver(Span<FrameSlot> frames, int headerSize, int reader, CancellationToken stop);
}
