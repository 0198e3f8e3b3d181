namespace VnetHash.Cli.Captures;

/// <summary>Where the frame the dissector takes starts within a captured packet, and what it is.</summary>
/// <param name="Offset">Bytes of pseudo-header to skip.</param>
/// <param name="Kind">What follows.</param>
public readonly record struct FrameLocation(int Offset, PayloadKind Kind);
