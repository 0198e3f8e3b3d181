using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>Decides where a frame read from a kernel queue goes, and may write its hash report into the header first.</summary>
internal interface IFrameRouter
{
    /// <summary>Routes one packet.</summary>
    /// <param name="packet">Header and frame, writable so the router can fill the hash report.</param>
    /// <param name="headerSize">The vnet header size.</param>
    /// <param name="pump">The index of the reader (kernel queue fd, in the order the receiver was started).</param>
    /// <param name="report">The report now in the header, for the counters.</param>
    /// <returns>The receive queue index.</returns>
    int Route(Span<byte> packet, int headerSize, int pump, out HashReport report);
}
