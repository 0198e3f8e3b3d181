namespace VnetHash.Cli.Captures;

/// <summary>libpcap could not serve a live capture or a filter: it is missing, or the interface cannot be captured on.</summary>
public sealed class LibpcapException : Exception
{
    public LibpcapException(ExitCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public LibpcapException()
        : this(ExitCode.BackendUnavailable, "libpcap failed")
    {
    }

    public LibpcapException(string message)
        : this(ExitCode.BackendUnavailable, message)
    {
    }

    public LibpcapException(string message, Exception inner)
        : this(ExitCode.BackendUnavailable, message, inner)
    {
    }

    /// <summary>The exit code the failure earns: <see cref="ExitCode.BackendUnavailable"/> without libpcap, <see cref="ExitCode.SystemError"/> for the interface.</summary>
    public ExitCode Code { get; }
}
