namespace VnetHash.TestSupport;

/// <summary>The repository a test program was built in: the folder holding VnetHash.slnx above its output folder.</summary>
internal static class Repository
{
    /// <summary>The repository's folder, or null when the program runs outside one.</summary>
    public static string? TryFindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VnetHash.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The tool's project folder, <c>src/VnetHash.Cli</c>.</summary>
    public static string ToolProjectDirectory => Path.Combine(FindRoot(), "src", "VnetHash.Cli");

    /// <summary>The lock file of in-place packs of the tool project (<c>ToolPackLock</c>).</summary>
    public static string ToolPackLockPath => Path.Combine(ToolProjectDirectory, "obj", "tool-pack.lock");

    /// <summary>The repository's folder.</summary>
    /// <exception cref="InvalidOperationException">The program runs outside the repository.</exception>
    public static string FindRoot() =>
        TryFindRoot() ?? throw new InvalidOperationException($"No VnetHash.slnx above {AppContext.BaseDirectory}.");
}
