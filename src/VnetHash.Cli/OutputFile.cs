namespace VnetHash.Cli;

/// <summary>
/// Output files: checked before a command does its work, created with every failure named by path and reason,
/// so that a wrong path costs nothing and always ends with <see cref="ExitCode.OutputError"/>.
/// </summary>
internal static class OutputFile
{
    /// <summary>Fails now if <paramref name="path"/> can plainly not be written: it is a directory, or its directory is missing.</summary>
    public static void Check(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OutputFileException(option, path, "it is a directory");
        }

        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent))
        {
            throw new OutputFileException(option, path, File.Exists(parent) ? $"'{parent}' is a file, not a directory" : $"the directory '{parent}' does not exist");
        }
    }

    /// <summary>
    /// Creates (or truncates) <paramref name="path"/> for writing; errors name <paramref name="shownPath"/>, the
    /// path the user gave, when the file is a temporary stand-in for it.
    /// </summary>
    public static FileStream Create(string path, string option, string? shownPath = null)
    {
        shownPath ??= path;
        Check(path, option);
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (UnauthorizedAccessException)
        {
            throw new OutputFileException(option, shownPath, "permission denied");
        }
        catch (IOException e)
        {
            throw new OutputFileException(option, shownPath, e.Message);
        }
    }

    /// <summary>Writes the whole of <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, string option, ReadOnlySpan<byte> bytes)
    {
        using FileStream stream = Create(path, option);
        stream.Write(bytes);
    }

    /// <summary>Moves a finished temporary file into place, replacing what was there.</summary>
    public static void Replace(string temporary, string path, string option)
    {
        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        catch (UnauthorizedAccessException)
        {
            throw new OutputFileException(option, path, "permission denied");
        }
        catch (IOException e)
        {
            throw new OutputFileException(option, path, e.Message);
        }
    }
}
