using System.Diagnostics;

namespace VnetHash.TestSupport;

/// <summary>
/// Held while a test program packs the tool project in place (<c>dotnet pack --no-build</c>): a pack writes into the
/// project's own obj/ and bin/ (the tool settings file, the publish the package is made from), so the tool's tests and
/// the package tests, run side by side on one clone, would otherwise write the same files at once (MSBuild's MSB3026
/// copy retries, or one pack's tool settings in the other's package). One lock file per clone, opened with an
/// exclusive share mode, which .NET on Linux takes as an flock(2) lock: released when its holder ends, however it
/// ends. Best effort (.NET skips it where file locking is switched off), and not re-entrant: a program that holds it
/// and asks again waits for itself.
/// </summary>
internal static class ToolPackLock
{
    /// <summary>Waits for the lock as long as a pack may run (<see cref="ProcessProgress.Ceiling"/>).</summary>
    public static IDisposable Take() => Take(ProcessProgress.Ceiling);

    /// <exception cref="TimeoutException">Another program held the lock for all of <paramref name="limit"/>.</exception>
    public static IDisposable Take(TimeSpan limit)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Repository.ToolPackLockPath)!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Read access is enough for the lock, so a lock file another user left behind still opens.
                return new FileStream(Repository.ToolPackLockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (clock.Elapsed > limit)
                {
                    throw new TimeoutException($"{Repository.ToolPackLockPath} stayed locked by another pack of the tool for {limit.TotalMinutes:F0} minutes", e);
                }

                Thread.Sleep(100);
            }
        }
    }
}
