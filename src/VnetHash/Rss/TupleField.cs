namespace VnetHash.Rss;

/// <summary>A field of an <see cref="RssTuple"/> that a prediction varies.</summary>
public enum TupleField
{
    /// <summary>The source port (16 bits).</summary>
    SourcePort,

    /// <summary>The destination port (16 bits).</summary>
    DestinationPort,

    /// <summary>The source address (32 or 128 bits).</summary>
    Source,

    /// <summary>The destination address (32 or 128 bits).</summary>
    Destination,
}
