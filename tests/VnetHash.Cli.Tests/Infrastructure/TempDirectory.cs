namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>A directory for one test's output files, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        // Where the tool can reach it when a test runs it as another user.
        Path = ReachableTemp.Create("vnethash-cli-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
