namespace VnetHash.Cli.Captures;

/// <summary>A capture file is damaged, truncated or not a capture: names the byte offset and the reason.</summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException(long offset, string reason)
        : base($"at byte offset {offset}: {reason}")
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The file ends at <paramref name="offset"/> inside what <paramref name="reason"/> names.</summary>
    public static CaptureFormatException CutShort(long offset, string reason) => new(offset, reason) { IsCutShort = true };

    public CaptureFormatException()
        : this(0, "malformed capture")
    {
    }

    public CaptureFormatException(string message)
        : this(0, message)
    {
    }

    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>The file ends inside a header or record: what came before it was whole.</summary>
    public bool IsCutShort { get; private init; }

    /// <summary>Where in the file the damage is, counted from byte 0.</summary>
    public long Offset { get; }

    /// <summary>What is wrong there.</summary>
    public string Reason { get; } = string.Empty;
}
