using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>Usage errors: one message per problem on stderr, exit code 2, nothing on stdout.</summary>
public sealed class UsageTests
{
    [Fact]
    public void An_unknown_command_is_a_usage_error()
    {
        Tool.Result result = Tool.Run("frobnicate");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("frobnicate", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        Tool.Result result = Tool.Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "toeplitz", "hash", "analyze", "generate", "config", "bench" })
        {
            Assert.Contains(command, result.Stdout, StringComparison.Ordinal);
        }
    }
}
