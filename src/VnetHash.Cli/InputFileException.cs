namespace VnetHash.Cli;

/// <summary>An input file cannot be read (missing, a directory, permission denied); the message names the path and the reason.</summary>
internal sealed class InputFileException : Exception
{
    public InputFileException(string what, string path, string reason)
        : base($"{what} '{path}' {reason}")
    {
    }

    public InputFileException()
    {
    }

    public InputFileException(string message)
        : base(message)
    {
    }

    public InputFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
