namespace VnetHash.Hashing;

/// <summary>How a prepared <see cref="ToeplitzKey"/> computes hashes. Chosen once, when the key is prepared.</summary>
public enum ToeplitzImplementation
{
    /// <summary>The fastest path this CPU supports.</summary>
    Auto = 0,

    /// <summary>Per-byte lookup tables: portable, one lookup and one XOR per input byte.</summary>
    Table = 1,
}
