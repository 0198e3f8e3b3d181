using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>--ethtool FILE|-</c> and <c>--device IF</c>: a NIC's settings in place of --key/--table/--queues.</summary>
public sealed class EthtoolOptionTests
{
    private static string Sample(string name) => Path.Combine(TestFiles.RepositoryRoot, "tests", "VnetHash.Tests", "Rss", "EthtoolOutputs", name);

    /// <summary>ixgbe's output (Microsoft key, 128 entries over 16 rings) analyses a capture exactly as the same key and table typed by hand.</summary>
    [Fact]
    public void Ethtool_output_gives_the_same_analysis_as_the_key_and_table_by_hand()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("flows.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--flows", "300", "--packets", "3000", "--out", capture).ExitCode);
        string table = string.Join(',', Enumerable.Range(0, 128).Select(i => i % 16));
        Tool.Result byHand = Tool.Run("analyze", capture, "--json", "--key", "microsoft", "--table", table, "--queues", "16");
        Tool.Result fromFile = Tool.Run("analyze", capture, "--json", "--ethtool", Sample("ixgbe.txt"));
        Tool.Result fromStdin = Tool.RunWithInput(File.ReadAllText(Sample("ixgbe.txt")), "analyze", capture, "--json", "--ethtool", "-");
        Assert.True(byHand.ExitCode == 0, byHand.Stderr);
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        Assert.Equal(Normalise(byHand.Stdout), Normalise(fromFile.Stdout));
        Assert.Equal(Normalise(byHand.Stdout), Normalise(fromStdin.Stdout));
    }

    // The label names where the key came from; everything else must agree.
    private static string Normalise(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"label\":\\s*\"[^\"]*\"", "\"label\":\"\"");

    [Fact]
    public void A_nic_hashing_with_crc32_gets_a_clear_error()
    {
        Tool.Result result = Tool.Run("hash", "--src", "10.0.0.1", "--dst", "10.0.0.2", "--ethtool", Sample("ena-crc32.txt"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ens5 hashes with crc32, not Toeplitz", result.Stderr);
    }

    [Fact]
    public void A_nic_without_rss_gets_a_clear_error()
    {
        Tool.Result result = Tool.Run("config", "show", "--ethtool", Sample("virtio_net-no-rss.txt"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not support RSS", result.Stderr);
        Tool.Result garbage = Tool.RunWithInput("not ethtool\n", "config", "show", "--ethtool", "-");
        Assert.Equal(1, garbage.ExitCode);
        Assert.Contains("this is not what ethtool -x prints", garbage.Stderr);
    }

    /// <summary>A tap inside the test's own namespace has no RSS: the kernel says EOPNOTSUPP and the tool says so.</summary>
    [RootFact]
    public void A_device_without_rss_gets_a_clear_error()
    {
        using var ns = new TestNamespace();
        string name = "vnhe" + Environment.ProcessId % 100000;
        TestNamespace.Ip("-n", ns.Name, "tuntap", "add", "dev", name, "mode", "tap");
        Tool.Result result = Command.RunIn(ns.Name, InstalledTool.Instance.Executable, "config", "show", "--device", name);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"{name} does not support RSS", result.Stderr);
    }
}
