using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash generate</c> run as a process.</summary>
public sealed class GenerateCommandTests
{
    [Fact]
    public void The_same_seed_gives_the_same_capture()
    {
        using var dir = new TempDirectory();
        Tool.Run("generate", "--flows", "20", "--packets", "60", "--seed", "5", "--out", dir.File("a.pcapng"));
        Tool.Run("generate", "--flows", "20", "--packets", "60", "--seed", "5", "--out", dir.File("b.pcapng"));
        Tool.Run("generate", "--flows", "20", "--packets", "60", "--seed", "6", "--out", dir.File("c.pcapng"));

        Assert.Equal(File.ReadAllBytes(dir.File("a.pcapng")), File.ReadAllBytes(dir.File("b.pcapng")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.pcapng")), File.ReadAllBytes(dir.File("c.pcapng")));
    }

    [Fact]
    public void The_capture_holds_the_requested_packets()
    {
        using var dir = new TempDirectory();
        Tool.Result result = Tool.Run("generate", "--flows", "7", "--packets", "50", "--out", dir.File("g.pcapng"));

        Assert.Equal(0, result.ExitCode);
        CaptureFile.Summary summary = CaptureFile.Read(dir.File("g.pcapng"));
        Assert.Equal(50, summary.Packets);
        Assert.All(summary.LinkTypes, l => Assert.Equal(LinkType.Ethernet, l));
    }

    [Fact]
    public void Balancing_over_queues_the_table_never_uses_is_refused()
    {
        using var dir = new TempDirectory();
        Tool.Result result = Tool.Run("generate", "--flows", "8", "--balanced", "--queues", "4", "--table", "0,1", "--out", dir.File("x.pcapng"));

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("queue 2 never appears", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundled_sample_is_the_generators_own_output()
    {
        using var dir = new TempDirectory();
        Tool.Run("generate", "--flows", "48", "--packets", "384", "--seed", "1", "--out", dir.File("sample.pcapng"));

        string shipped = Path.Combine(Repository.ToolProjectDirectory, "Samples", "sample.pcapng");
        Assert.Equal(File.ReadAllBytes(shipped), File.ReadAllBytes(dir.File("sample.pcapng")));
    }
}
