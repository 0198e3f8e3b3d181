namespace VnetHash.Abi;

/// <summary>A kernel ioctl argument does not decode; <see cref="Error"/> names the rule and <see cref="Field"/> the field.</summary>
public sealed class AbiDecodeException : FormatException
{
    /// <summary>Creates the error for <paramref name="field"/> breaking <paramref name="error"/>.</summary>
    public AbiDecodeException(AbiDecodeError error, string field, string message)
        : base($"{field}: {error}: {message}")
    {
        Error = error;
        Field = field;
    }

    /// <summary>The rule at fault.</summary>
    public AbiDecodeError Error { get; }

    /// <summary>The field at fault, as the kernel structure names it.</summary>
    public string Field { get; }
}
