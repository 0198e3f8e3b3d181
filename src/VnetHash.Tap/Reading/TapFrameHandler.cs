namespace VnetHash.Tap.Reading;

/// <summary>
/// Takes a batch of frames on the reader's thread (run to completion). The frames are lent until it returns; one
/// reader calls it at a time, readers of different queues call it at the same time. While it runs its reader reads
/// nothing, so frames wait in the kernel, which drops (and counts as <c>tx_dropped</c>) what does not fit its queue.
/// An exception it throws ends reading with that error.
/// </summary>
public delegate void TapFrameHandler(TapFrameBatch batch);
