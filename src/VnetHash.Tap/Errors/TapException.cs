namespace VnetHash.Tap.Errors;

/// <summary>A TAP-layer operation failed; the message says which operation on which object and why, and the errno is kept.</summary>
public sealed class TapException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The classified error.</param>
    /// <param name="errno">The raw errno, 0 when the error did not come from the kernel.</param>
    /// <param name="operation">The operation, e.g. <c>TUNSETIFF</c> or <c>read</c>.</param>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The error behind this one, or null.</param>
    public TapException(TapError error, int errno, string operation, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Errno = errno;
        Operation = operation;
        HResult = errno == 0 ? HResult : errno;
    }

    /// <summary>The classified error.</summary>
    public TapError Error { get; }

    /// <summary>The raw errno (0 when the error was found before any system call).</summary>
    public int Errno { get; }

    /// <summary>The operation that failed.</summary>
    public string Operation { get; }
}
