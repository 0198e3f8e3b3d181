using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>analyze --filter EXPR</c> on capture files and standard input, run as the installed tool: it keeps exactly
/// the packets tcpdump keeps for the same expression (both compile it with libpcap), and a bad expression is a
/// usage error that names it.
/// </summary>
public sealed class FilterTests
{
    private const string Tcpdump = "/usr/bin/tcpdump";

    [FileTheory(Tcpdump, "tcpdump")]
    [InlineData("udp")]
    [InlineData("tcp and port 443")]
    [InlineData("ip6 and not udp")]
    [InlineData("vlan")]
    [InlineData("ip[6:2] & 0x3fff != 0")]
    [InlineData("greater 400")]
    public void Files_and_standard_input_keep_what_tcpdump_keeps(string expression)
    {
        using var dir = new TempDirectory();
        string capture = dir.File("mixed.pcapng");
        string kept = dir.File("kept.pcap");
        Assert.Equal(0, Tool.Run("generate", "--flows", "64", "--packets", "600", "--seed", "5", "--out", capture).ExitCode);
        Tool.Result tcpdump = Command.Run(Tcpdump, "-r", capture, "-w", kept, expression);
        Assert.True(tcpdump.ExitCode == 0, tcpdump.Stderr);
        int expected = CaptureFile.Read(kept).Packets;
        Assert.InRange(expected, 1, 599);

        Tool.Result file = Tool.Run("analyze", capture, "--filter", expression, "--json");
        Assert.True(file.ExitCode == 0, file.Stderr);
        Assert.Equal(expected, Packets(file));
        Assert.Contains($"note: --filter '{expression}' kept {expected} of the 600 packets read", file.Stderr);

        Tool.Result piped = Tool.RunWithInput(File.ReadAllBytes(capture), "analyze", "-", "--filter", expression, "--json");
        Assert.True(piped.ExitCode == 0, piped.Stderr);
        Assert.Equal(expected, Packets(piped));
    }

    [Theory]
    [InlineData("ip and and")]
    [InlineData("port 99999")]
    [InlineData("host no.such.host.invalid")]
    public void A_bad_expression_is_a_usage_error_naming_it(string expression)
    {
        Tool.Result result = Tool.Run("analyze", "--filter", expression);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: --filter '{expression}': libpcap cannot compile it: ", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Live_options_without_an_interface_are_refused()
    {
        Assert.Equal(2, Tool.Run("analyze", "--count", "5").ExitCode);
        Assert.Equal(2, Tool.Run("analyze", "--duration", "1").ExitCode);
        Assert.Equal(2, Tool.Run("analyze", "-i", "lo", "some.pcap").ExitCode);
        Assert.Equal(2, Tool.Run("analyze", "--filter", " ").ExitCode);
    }

    private static long Packets(Tool.Result result)
    {
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        return answer.RootElement.GetProperty("packets").GetInt64();
    }
}
