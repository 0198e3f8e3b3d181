using Xunit;

namespace VnetHash.TestSupport;

/// <summary>A fact that skips, saying which package to install, when its input file is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileFactAttribute : FactAttribute
{
    public FileFactAttribute(string path, string package)
    {
        string reason = SkipUnlessExists(path, package);
        if (reason.Length > 0)
        {
            Skip = reason;
        }
    }

    /// <summary>Empty when <paramref name="path"/> (a file or a folder) exists, else why the test skips.</summary>
    internal static string SkipUnlessExists(string path, string package) =>
        File.Exists(path) || Directory.Exists(path) ? string.Empty : $"{path} is absent: install the Debian package {package}";
}
