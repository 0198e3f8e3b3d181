using Xunit;

namespace VnetHash.TestSupport;

/// <summary>A theory that skips, saying which package to install, when its input directory or file is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileTheoryAttribute : TheoryAttribute
{
    public FileTheoryAttribute(string path, string package)
    {
        string reason = FileFactAttribute.SkipUnlessExists(path, package);
        if (reason.Length > 0)
        {
            Skip = reason;
        }
    }
}
