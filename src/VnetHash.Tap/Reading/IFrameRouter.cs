using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>Decides which receive queue a frame read from a kernel queue goes to, and writes its hash report into the header first.</summary>
internal interface IFrameRouter
{
    /// <summary>Routes one packet.</summary>
    /// <param name="packet">Header and frame, writable so the router can fill the hash report.</param>
    /// <param name="headerSize">The vnet header size.</param>
    /// <param name="kernelQueue">The kernel index of the queue it was read from (-1 when that queue is detached now).</param>
    /// <param name="report">The report now in the header, for the counters.</param>
    /// <returns>The receive queue index, or -1 when the frame must not be delivered (its steering decision names another queue).</returns>
    int Route(Span<byte> packet, int headerSize, int kernelQueue, out HashReport report);
}
