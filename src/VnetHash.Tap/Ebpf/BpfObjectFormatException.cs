namespace VnetHash.Tap.Ebpf;

/// <summary>A BPF object file is malformed or uses something this loader does not support.</summary>
public sealed class BpfObjectFormatException : BpfException
{
    /// <summary>Creates the exception.</summary>
    public BpfObjectFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public BpfObjectFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public BpfObjectFormatException()
        : base("The BPF object file is malformed.")
    {
    }
}
