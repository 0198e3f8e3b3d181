namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>A fact that skips, saying which package to install, when its input file is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileFactAttribute : FactAttribute
{
    public FileFactAttribute(string path, string package)
    {
        string reason = TestFiles.SkipUnlessExists(path, package);
        if (reason.Length > 0)
        {
            Skip = reason;
        }
    }
}
