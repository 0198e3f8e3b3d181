namespace VnetHash.Cli;

/// <summary>The process exit codes of every vnethash command (the README's table; the tests assert each one).</summary>
public enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>
    /// An input could not be read or is damaged: a frame, a capture (missing, a directory, not a capture, cut
    /// short, corrupt) or an encoded blob. Whatever could be read was still answered.
    /// </summary>
    InvalidInput = 1,

    /// <summary>Bad usage or configuration: an unknown option, or a value that is empty, malformed, out of range or inconsistent.</summary>
    InvalidArguments = 2,

    /// <summary>A system call failed: privileges, a missing device or network namespace.</summary>
    SystemError = 3,

    /// <summary>The requested backend cannot serve the configuration.</summary>
    BackendUnavailable = 4,

    /// <summary>An output file cannot be written: the path is a directory, its directory is missing, or permission is denied.</summary>
    OutputError = 5,

    /// <summary>Interrupted by SIGINT (Ctrl-C) or SIGTERM; the command stopped cleanly (128 + SIGINT, as shells report Ctrl-C).</summary>
    Interrupted = 130,
}
