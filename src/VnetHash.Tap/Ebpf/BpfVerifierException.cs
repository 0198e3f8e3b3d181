namespace VnetHash.Tap.Ebpf;

/// <summary>The kernel's verifier rejected a program; <see cref="Log"/> says why.</summary>
public sealed class BpfVerifierException : BpfException
{
    /// <summary>Creates the exception for a rejected program with the verifier's log.</summary>
    public BpfVerifierException(string programName, int errno, string log)
        : base($"The verifier rejected BPF program '{programName}' ({Interop.Errno.Name(errno)}): {LastLines(log)}", errno)
    {
        Log = log;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public BpfVerifierException(string message)
        : base(message)
    {
        Log = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public BpfVerifierException(string message, Exception innerException)
        : base(message, innerException)
    {
        Log = string.Empty;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public BpfVerifierException()
        : this("The verifier rejected a BPF program.")
    {
    }

    /// <summary>The whole verifier log (level 1), as the kernel wrote it.</summary>
    public string Log { get; }

    // The verdict is at the end of the log; the message carries only that part, the property carries all.
    private static string LastLines(string log)
    {
        string[] lines = log.TrimEnd('\0', '\n').Split('\n');
        return lines.Length <= 3 ? string.Join(" | ", lines) : string.Join(" | ", lines[^3..]);
    }
}
