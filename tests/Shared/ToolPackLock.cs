using System.Diagnostics;

namespace VnetHash.TestSupport;

/// <summary>
/// Held while a test program packs the tool project in place (<c>dotnet pack --no-build</c>): a pack writes into the
/// project's own obj/ and bin/ (the tool settings file, the publish the package is made from), so the tool's tests and
/// the package tests, run side by side on one clone, would otherwise write the same files at once (MSBuild's MSB3026
/// copy retries, or one pack's tool settings in the other's package). One lock file per clone, taken with an exclusive
/// share mode, which .NET takes as an flock(2) lock on Linux.
/// </summary>
internal static class ToolPackLock
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static IDisposable Take()
    {
        string directory = Path.Combine(Repository.FindRoot(), "src", "VnetHash.Cli", "obj");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "tool-pack.lock");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < Limit)
            {
                Thread.Sleep(100);
            }
        }
    }
}
