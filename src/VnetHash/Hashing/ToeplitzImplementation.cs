namespace VnetHash.Hashing;

/// <summary>How a prepared <see cref="ToeplitzKey"/> computes hashes. Chosen when the key is prepared.</summary>
public enum ToeplitzImplementation
{
    /// <summary>
    /// For each <see cref="ToeplitzOperation"/>, the path this CPU runs fastest, by measurement: the first key prepared
    /// with <see cref="Auto"/> in a process times every supported path on a few hundred inputs of each operation (12-
    /// and 36-byte tuples, the general offset form, batches of both) and every later one reuses the choice. Setting the
    /// environment variable <c>VNETHASH_TOEPLITZ</c> to a path name (for reproducible benchmarks) takes that path for
    /// every operation instead.
    /// </summary>
    Auto = 0,

    /// <summary>Per-byte lookup tables: portable, one lookup and one XOR per input byte.</summary>
    Table = 1,

    /// <summary>
    /// Carry-less multiplication (x64 PCLMULQDQ, and VPCLMULQDQ for 32-byte blocks when present; ARM64 PMULL): two
    /// 64 x 64-bit products per 8 input bytes against bit-reversed key windows, one bit reversal per hash.
    /// </summary>
    CarrylessMultiply = 2,

    /// <summary>
    /// GFNI affine transforms on 256-bit vectors (GFNI with AVX2, no AVX-512): one 8 x 8 bit matrix per key byte,
    /// four matrices per instruction. The 12- and 36-byte tuples are shuffled into the lanes from 16-byte windows of
    /// the tuple; other inputs are staged between zeros first.
    /// </summary>
    Gfni256 = 3,

    /// <summary>
    /// GFNI affine transforms on 512-bit vectors with AVX-512 VBMI byte permutes: eight matrices per instruction. The
    /// 12- and 36-byte tuples are spread over the lanes by one permute and shifted per block; other inputs are read
    /// with a masked load; batches hash two inputs per pass.
    /// </summary>
    Gfni512 = 4,
}
