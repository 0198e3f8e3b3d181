namespace VnetHash.Hashing;

/// <summary>A hash value and the report type that produced it.</summary>
/// <param name="Value">The 32-bit Toeplitz hash; 0 when <paramref name="Report"/> is <see cref="HashReport.None"/>.</param>
/// <param name="Report">The rule that produced the hash.</param>
public readonly record struct HashResult(uint Value, HashReport Report)
{
    /// <summary>The result for a packet that gets no hash.</summary>
    public static HashResult None => default;

    /// <summary>Whether a hash was computed.</summary>
    public bool HasHash => Report != HashReport.None;

    /// <inheritdoc/>
    public override string ToString() => $"{Value:x8} {Report}";
}
