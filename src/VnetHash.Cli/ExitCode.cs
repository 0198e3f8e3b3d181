namespace VnetHash.Cli;

/// <summary>The process exit codes of every vnethash command (the README's table).</summary>
public enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>A frame or capture could not be read (other frames were still answered).</summary>
    InvalidInput = 1,

    /// <summary>Bad usage or configuration: an option value is malformed or inconsistent.</summary>
    InvalidArguments = 2,

    /// <summary>A system call failed: privileges, a missing device, a file that cannot be written.</summary>
    SystemError = 3,

    /// <summary>The requested backend cannot serve the configuration.</summary>
    BackendUnavailable = 4,

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    Cancelled = 130,
}
