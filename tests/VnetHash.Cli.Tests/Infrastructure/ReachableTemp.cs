namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>
/// Temporary directories on a path every user may traverse. A test that runs the tool as another user needs the
/// installed tool and its output directory where that user can reach them, wherever the checkout lies and whatever
/// TMPDIR names: a TMPDIR inside a mode-0700 folder (as <c>mktemp -d</c> makes) hides everything below it.
/// </summary>
internal static class ReachableTemp
{
    /// <summary>The first of TMPDIR, /tmp, /var/tmp and /dev/shm that every user may enter (TMPDIR when none is).</summary>
    public static string Base { get; } =
        new[] { Path.GetTempPath(), "/tmp", "/var/tmp", "/dev/shm" }.FirstOrDefault(EveryoneMayEnter) ?? Path.GetTempPath();

    /// <summary>Creates a new directory, mode 0700, named <paramref name="prefix"/> and a unique suffix.</summary>
    public static DirectoryInfo Create(string prefix) =>
        Directory.CreateDirectory(Path.Combine(Base, $"{prefix}{Guid.NewGuid():N}"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    private static bool EveryoneMayEnter(string path)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(path)); directory is not null; directory = directory.Parent)
        {
            if (!directory.Exists || (directory.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }
}
