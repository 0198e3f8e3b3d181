using VnetHash.Cli.Samples;

namespace VnetHash.Cli.Captures;

/// <summary>
/// One capture the user named: a file, <c>-</c> for standard input, or the bundled sample. Problems with the
/// name itself (missing, a directory, unreadable) are found before anything is read, each with its own message.
/// </summary>
internal sealed class CaptureSource
{
    public const string StandardInputArgument = "-";

    private CaptureSource(string argument, string name)
    {
        Argument = argument;
        Name = name;
    }

    /// <summary>The sample analysed when no capture is named.</summary>
    public static CaptureSource Sample { get; } = new(string.Empty, $"{SampleCapture.Name} (bundled sample)");

    /// <summary>What the user typed ("" for the sample).</summary>
    public string Argument { get; }

    /// <summary>How messages and reports name it.</summary>
    public string Name { get; }

    /// <summary>The file's path; null for standard input and the sample.</summary>
    public string? Path => Argument is "" or StandardInputArgument ? null : Argument;

    /// <summary>The file's size for a progress bar; null for standard input and the sample.</summary>
    public long? Length => Path is string path ? new FileInfo(path).Length : null;

    /// <summary>Checks <paramref name="argument"/> names a readable file (or is <c>-</c>).</summary>
    public static CaptureSource Named(string argument)
    {
        if (argument == StandardInputArgument)
        {
            return new CaptureSource(argument, "standard input");
        }

        if (Directory.Exists(argument))
        {
            throw new InputFileException("capture", argument, "is a directory, not a capture file");
        }

        if (!File.Exists(argument))
        {
            throw new InputFileException("capture", argument, "does not exist");
        }

        return new CaptureSource(argument, argument);
    }

    /// <summary>Opens the bytes; a file that cannot be opened is named with the reason.</summary>
    public Stream Open()
    {
        if (Argument == string.Empty)
        {
            return SampleCapture.Open();
        }

        if (Argument == StandardInputArgument)
        {
            return Console.OpenStandardInput();
        }

        try
        {
            // Unbuffered: the capture reader reads in 1 MiB chunks into a buffer of its own.
            return new FileStream(Argument, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputFileException("capture", Argument, "cannot be read: permission denied");
        }
        catch (IOException e)
        {
            throw new InputFileException("capture", Argument, $"cannot be read: {e.Message}");
        }
    }
}
