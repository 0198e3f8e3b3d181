namespace VnetHash.Tap.Steering;

/// <summary>What the <c>hash_value</c> of a received header is, so a kernel value is never taken for a Toeplitz hash.</summary>
public enum HashSource
{
    /// <summary>
    /// No hash: <c>hash_report</c> is NONE and <c>hash_value</c> means nothing. It is 0, except that the v12 kernel
    /// reporting without RSS leaves the queue index there for unclassified frames (measured).
    /// </summary>
    None,

    /// <summary>The virtio-net Toeplitz hash of the configured key and types (RSS with reporting on more than one queue).</summary>
    Toeplitz,

    /// <summary>
    /// Reporting without RSS: the kernel reports its automatic queue selection, whose value is the index of the queue
    /// the frame went to for forwarded traffic (or the socket's own flow hash for traffic the host sends from a local
    /// socket). Never a Toeplitz hash; the report type is still meaningful (series-kernel-behaviour.md, "Report
    /// without RSS").
    /// </summary>
    KernelQueueIndex,
}
