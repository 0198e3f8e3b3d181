namespace VnetHash.Tap.Reading;

/// <summary>
/// The reading of one kernel queue fd, whatever the system calls: frames are read into buffers the reader owns and
/// lent out until <see cref="Recycle"/>. Used by one thread only.
/// </summary>
internal interface IQueueReader : IDisposable
{
    /// <summary>The engine.</summary>
    ReaderEngine Engine { get; }

    /// <summary>The most bytes one read can return: a frame of this length may have been cut and is not delivered.</summary>
    int ReadCapacity { get; }

    /// <summary>Times the reader ran out of buffers and the kernel kept frames in its queue until some were recycled.</summary>
    long BufferStalls { get; }

    /// <summary>Frames the kernel had already read into buffers when reading stopped, never handed over (known once disposed).</summary>
    long Discarded { get; }

    /// <summary>
    /// Waits until frames are there or the stop fd is signalled, and describes up to <c>frames.Length</c> of them.
    /// The previous batch must have been recycled.
    /// </summary>
    /// <returns>The number of frames; 0 when the stop fd was signalled.</returns>
    /// <exception cref="Errors.TapException">The queue cannot be read any more (<see cref="Errors.TapError.DeviceGone"/> when the device was deleted).</exception>
    int Read(Span<FrameSlot> frames);

    /// <summary>Gives the buffers of the last batch back for new reads.</summary>
    void Recycle();
}
