namespace VnetHash.Cli;

/// <summary>An output file cannot be written; the message names the option, the path and the reason.</summary>
internal sealed class OutputFileException : Exception
{
    public OutputFileException(string option, string path, string reason)
        : base($"{option}: cannot write '{path}': {reason}")
    {
    }

    public OutputFileException()
    {
    }

    public OutputFileException(string message)
        : base(message)
    {
    }

    public OutputFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
