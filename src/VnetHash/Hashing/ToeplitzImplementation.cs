namespace VnetHash.Hashing;

/// <summary>How a prepared <see cref="ToeplitzKey"/> computes hashes. Chosen once, when the key is prepared.</summary>
public enum ToeplitzImplementation
{
    /// <summary>
    /// The fastest path this CPU supports: <see cref="Gfni512"/> when present, else <see cref="CarrylessMultiply"/>,
    /// else <see cref="Table"/>.
    /// </summary>
    Auto = 0,

    /// <summary>Per-byte lookup tables: portable, one lookup and one XOR per input byte.</summary>
    Table = 1,

    /// <summary>
    /// Carry-less multiplication (x86 PCLMULQDQ, and VPCLMULQDQ for 32-byte blocks when present): two 64 x 64-bit
    /// products per 8 input bytes against bit-reversed key windows, one bit reversal per hash.
    /// </summary>
    CarrylessMultiply = 2,

    /// <summary>
    /// GFNI affine transforms on 256-bit vectors (GFNI with AVX2, no AVX-512): one 8 x 8 bit matrix per key byte,
    /// four matrices per instruction.
    /// </summary>
    Gfni256 = 3,

    /// <summary>
    /// GFNI affine transforms on 512-bit vectors with AVX-512 VBMI byte permutes: eight matrices per instruction,
    /// the input read straight from memory with a masked load, two inputs per pass in batches.
    /// </summary>
    Gfni512 = 4,
}
