namespace VnetHash.Cli;

/// <summary>The process exit codes of every vnethash command.</summary>
public enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>An option value is malformed or inconsistent (the same code System.CommandLine uses for parse errors).</summary>
    InvalidArguments = 1,

    /// <summary>Some input (a frame, a hex blob) could not be read; the other inputs were still answered.</summary>
    InvalidInput = 2,

    /// <summary>A capture file is missing, damaged or truncated.</summary>
    CaptureError = 3,

    /// <summary>The host lacks something the command needs (permissions, kernel support).</summary>
    Unsupported = 4,

    /// <summary>An output file could not be written.</summary>
    OutputError = 5,

    /// <summary>Interrupted by Ctrl-C or SIGTERM.</summary>
    Cancelled = 130,
}
