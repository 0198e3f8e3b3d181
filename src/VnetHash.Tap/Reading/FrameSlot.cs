namespace VnetHash.Tap.Reading;

/// <summary>Where one read frame lies (header first) in a reader's buffers, and the receive queue it goes to.</summary>
internal struct FrameSlot
{
    /// <summary>The address of the frame's first byte, in memory that stays put until the reader recycles it.</summary>
    internal nint Address;

    /// <summary>The bytes read, header included.</summary>
    internal int Length;

    /// <summary>The receive queue, once routed.</summary>
    internal int Queue;

    /// <summary>The <c>hash_report</c> in its header, once routed.</summary>
    internal int Report;

    internal readonly unsafe Span<byte> Span => new((void*)Address, Length);
}
