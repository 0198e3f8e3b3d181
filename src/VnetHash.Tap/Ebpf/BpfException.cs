namespace VnetHash.Tap.Ebpf;

/// <summary>A bpf(2) command failed; <see cref="Errno"/> is the kernel's error number.</summary>
public class BpfException : Exception
{
    /// <summary>Creates an exception for a failed bpf(2) command.</summary>
    public BpfException(string message, int errno)
        : base(message)
    {
        Errno = errno;
    }

    /// <summary>Creates an exception without an error number (bad input found before any system call).</summary>
    public BpfException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps another.</summary>
    public BpfException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a default message.</summary>
    public BpfException()
        : base("A bpf(2) command failed.")
    {
    }

    /// <summary>The errno of the failed command (for example 1 for EPERM), or 0 when no system call failed.</summary>
    public int Errno { get; }
}
