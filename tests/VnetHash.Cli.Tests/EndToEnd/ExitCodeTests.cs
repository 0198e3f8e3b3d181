using System.Text.RegularExpressions;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// The README's exit-code table is the tool's <see cref="ExitCode"/>, and each code is what the installed tool
/// returns for its cause. (130 is asserted in <see cref="SignalTests"/>, 4 in <see cref="LiveTapTests"/>.)
/// </summary>
public sealed partial class ExitCodeTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("src/VnetHash.Cli/README.md")]
    public void The_readme_table_lists_exactly_the_tools_exit_codes(string readme)
    {
        string text = File.ReadAllText(Path.Combine(TestFiles.RepositoryRoot, readme));
        string section = text[text.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        int[] documented = [.. TableRow().Matches(section).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

        Assert.Equal(Enum.GetValues<ExitCode>().Select(c => (int)c).Order(), documented.Order());
    }

    [Fact]
    public void Zero_on_success()
    {
        Tool.Result result = Tool.Run("toeplitz", "--data", "420995bba18e64500aea06e6");

        Assert.Equal((int)ExitCode.Ok, result.ExitCode);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void One_for_an_input_that_cannot_be_read()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.txt"), "not a capture at all");

        Tool.Result result = Tool.Run("analyze", dir.File("notes.txt"));

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("notes.txt", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_for_bad_usage()
    {
        Tool.Result result = Tool.Run("hash", "--frame", "00", "--no-such-option");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("--no-such-option", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Three_for_a_network_namespace_that_does_not_exist()
    {
        // Checked before anything runs, so this needs no root; the message is the tool's own, not ip's.
        string missing = TestNamespace.UnusedName();

        Tool.Result result = Tool.Run("probe", "--netns", missing, "--no-device");

        Assert.Equal((int)ExitCode.SystemError, result.ExitCode);
        Assert.Equal($"error: --netns: network namespace '{missing}' does not exist ('ip netns list' shows those that do; 'ip netns add {missing}' creates it)", result.Stderr.Trim());
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Five_for_an_output_file_that_cannot_be_written()
    {
        using var dir = new TempDirectory();

        Tool.Result result = Tool.Run("generate", "--out", dir.Path);

        Assert.Equal((int)ExitCode.OutputError, result.ExitCode);
        Assert.Equal($"error: --out: cannot write '{dir.Path}': it is a directory", result.Stderr.Trim());
    }

    [GeneratedRegex(@"^\| *(\d+) *\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
