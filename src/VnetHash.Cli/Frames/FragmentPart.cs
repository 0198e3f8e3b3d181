namespace VnetHash.Cli.Frames;

/// <summary>Which piece of a fragmented datagram a frame carries.</summary>
public enum FragmentPart
{
    /// <summary>Not fragmented.</summary>
    None,

    /// <summary>The first fragment: offset 0, more-fragments set, carries the transport header.</summary>
    First,

    /// <summary>A later fragment: non-zero offset, no transport header.</summary>
    Later,
}
