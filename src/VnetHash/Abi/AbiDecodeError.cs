namespace VnetHash.Abi;

/// <summary>Why a kernel ioctl argument does not decode; the kernel accepts most of these silently, the decoder does not.</summary>
public enum AbiDecodeError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The buffer ends before a field (a structure, the indirection table or the 40-byte key region).</summary>
    Truncated,

    /// <summary>Bytes follow the last field.</summary>
    TrailingBytes,

    /// <summary>Flag bits no flag defines.</summary>
    UnknownFlags,

    /// <summary>Hash type bits no virtio hash type defines.</summary>
    UnknownHashTypes,

    /// <summary>A padding field is not zero.</summary>
    PaddingNotZero,

    /// <summary>The indirection table length, mask + 1, is not a power of two.</summary>
    TableLengthNotPowerOfTwo,
}
