namespace VnetHash.Tap.Reading;

/// <summary>How a reader takes frames from a kernel queue fd.</summary>
public enum ReaderEngine
{
    /// <summary><see cref="IoUring"/> where the kernel has it (probed, see <see cref="ReaderEngineSupport"/>), else <see cref="PollRead"/>.</summary>
    Auto,

    /// <summary>
    /// io_uring: one multishot read (<c>IORING_OP_READ_MULTISHOT</c>, Linux 6.7) into a ring of provided buffers per queue;
    /// the kernel fills buffers as frames arrive and one system call returns every completed read.
    /// </summary>
    IoUring,

    /// <summary><c>read</c> until the queue is empty, then <c>poll</c> on the queue and the stop eventfd: one system call per frame.</summary>
    PollRead,
}
