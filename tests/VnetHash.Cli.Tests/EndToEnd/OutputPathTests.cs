using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// Every output file (generate --out, analyze --csv and --chart) fails the same way: exit code 5, a message
/// naming the option, the path and the reason; a directory or a missing parent is found before any work.
/// </summary>
public sealed class OutputPathTests
{
    public static TheoryData<string, string[]> Outputs => new()
    {
        { "--out", ["generate", "--out"] },
        { "--csv", ["analyze", "--csv"] },
        { "--chart", ["analyze", "--chart"] },
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void A_directory_is_named_as_a_directory(string option, string[] command)
    {
        using var dir = new TempDirectory();
        string target = dir.File("out.png");
        Directory.CreateDirectory(target);

        Tool.Result result = Tool.Run([.. command, target]);

        Assert.Equal((int)ExitCode.OutputError, result.ExitCode);
        Assert.Equal($"error: {option}: cannot write '{target}': it is a directory", result.Stderr.Trim());
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void A_missing_parent_directory_is_named(string option, string[] command)
    {
        using var dir = new TempDirectory();
        string parent = dir.File("missing");
        string target = Path.Combine(parent, "out.png");

        Tool.Result result = Tool.Run([.. command, target]);

        Assert.Equal((int)ExitCode.OutputError, result.ExitCode);
        Assert.Equal($"error: {option}: cannot write '{target}': the directory '{parent}' does not exist", result.Stderr.Trim());
        Assert.False(Directory.Exists(parent));
    }

    [RootTheory]
    [MemberData(nameof(Outputs))]
    public void A_directory_the_user_cannot_write_is_permission_denied(string option, string[] command)
    {
        // Root writes anywhere, so the tool runs as nobody (65534) against a directory only root may write.
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string target = dir.File("out.png");

        Tool.Result result = Tool.RunAs(65534, [.. command, target]);

        Assert.Equal((int)ExitCode.OutputError, result.ExitCode);
        Assert.Equal($"error: {option}: cannot write '{target}': permission denied", result.Stderr.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
