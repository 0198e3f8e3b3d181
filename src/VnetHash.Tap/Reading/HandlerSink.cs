namespace VnetHash.Tap.Reading;

/// <summary>Gives each batch to the caller's handler on the reader's own thread (run to completion).</summary>
internal sealed class HandlerSink(TapFrameHandler handler, IReadOnlyList<ReceiveQueue> queues) : IFrameSink
{
    public void Deliver(Span<FrameSlot> frames, int headerSize, int reader, CancellationToken stop)
    {
        foreach (ref readonly FrameSlot frame in frames)
        {
            queues[frame.Queue].CountersOf(reader).CountDelivered(frame.Length, frame.Report);
        }

        handler(new TapFrameBatch(frames, headerSize, reader));
    }
}
