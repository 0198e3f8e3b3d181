using System.Diagnostics;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// <c>analyze -i IF</c>, run as the installed tool inside the test's own network namespace on a veth pair made
/// there (IPv6 off, a permanent neighbour so no ARP): it counts exactly the frames sent to it, stops on
/// <c>--count</c> or <c>--duration</c>, applies <c>--filter</c> in the kernel, and says clearly when the
/// interface is missing or goes away, when capturing is not permitted, and when libpcap is missing.
/// </summary>
public sealed class LiveCaptureTests
{
    private const string NeedsRoot = "needs root: creates a network namespace and a veth pair inside it, and captures on it";
    private const string Capture = "vhcap0";
    private const string Peer = "vhcap1";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [RootFact(NeedsRoot)]
    public void Counts_exactly_the_frames_sent_and_stops_at_count()
    {
        using var ns = Namespace();
        // A burst: packets libpcap holds must all be handed over (its immediate mode read this way lost most).
        using Tool.Running run = Tool.Start("analyze", "-i", Capture, "--netns", ns.Name, "--count", "2000", "--duration", "60", "--queues", "4", "--json");
        run.WaitForStderr($"capturing on {Capture}, link type Ethernet (1)", Wait);
        Send(ns, port: 9, datagrams: 2000);
        Tool.Result result = run.WaitForExit(Wait);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2000, answer.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(2000, answer.RootElement.GetProperty("hash_types").GetProperty("UDPv4").GetInt64());
        Assert.Equal($"live capture on {Capture}", answer.RootElement.GetProperty("captures")[0].GetString());
    }

    [RootFact(NeedsRoot)]
    public void The_filter_runs_in_the_kernel_and_duration_ends_the_capture()
    {
        using var ns = Namespace();
        var clock = Stopwatch.StartNew();
        using Tool.Running run = Tool.Start("analyze", "-i", Capture, "--netns", ns.Name, "--duration", "4", "--filter", "udp dst port 9", "--json");
        run.WaitForStderr("filter 'udp dst port 9'", Wait);
        Send(ns, port: 9, datagrams: 25);
        Send(ns, port: 10, datagrams: 15);
        Tool.Result result = run.WaitForExit(Wait);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4));
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        Assert.Equal(25, answer.RootElement.GetProperty("packets").GetInt64());
    }

    [RootFact(NeedsRoot)]
    public void An_interface_deleted_under_the_capture_ends_it_with_the_results_and_exit_3()
    {
        using var ns = Namespace();
        using Tool.Running run = Tool.Start("analyze", "-i", Capture, "--netns", ns.Name, "--json");
        run.WaitForStderr("capturing on", Wait);
        Send(ns, port: 9, datagrams: 5);
        Thread.Sleep(500);
        TestNamespace.Ip("-n", ns.Name, "link", "del", Capture);
        Tool.Result result = run.WaitForExit(Wait);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"error: -i {Capture}: the capture stopped: ", result.Stderr);
        Assert.Contains("the results cover the 5 packets read before", result.Stderr);
        using JsonDocument answer = JsonDocument.Parse(result.Stdout);
        Assert.Equal(5, answer.RootElement.GetProperty("packets").GetInt64());
    }

    [RootFact(NeedsRoot)]
    public void A_missing_interface_and_a_user_without_the_right_to_capture_get_exit_3()
    {
        using var ns = Namespace();
        Tool.Result missing = Tool.Run("analyze", "-i", "vhnosuch0", "--netns", ns.Name);
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal("error: -i: there is no interface 'vhnosuch0' to capture on in this network namespace ('ip link' lists them)", missing.Stderr.Trim());

        Tool.Result denied = Command.RunIn(ns.Name, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", InstalledTool.Instance.Executable, "analyze", "-i", Capture);
        Assert.Equal(3, denied.ExitCode);
        Assert.Contains($"error: -i {Capture}: capturing needs root or CAP_NET_RAW", denied.Stderr);
    }

    /// <summary>libpcap hidden from the tool (a private mount namespace puts /dev/null over it): exit 4 and what to install.</summary>
    [RootFact("needs root: hides libpcap in a private mount namespace")]
    public void Without_libpcap_the_tool_says_what_to_install_and_exits_4()
    {
        string script = "for f in $(ldconfig -p | awk '/libpcap\\.so/ {print $NF}'); do mount --bind /dev/null \"$(readlink -f \"$f\")\" || exit 99; done; exec \"$@\"";
        Tool.Result filter = Command.Run("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", InstalledTool.Instance.Executable, "analyze", "--filter", "udp");
        Assert.Equal(4, filter.ExitCode);
        Assert.StartsWith("error: --filter needs libpcap, and no libpcap could be loaded", filter.Stderr);
        Assert.Contains("apt install libpcap0.8", filter.Stderr);

        Tool.Result live = Command.Run("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", InstalledTool.Instance.Executable, "analyze", "-i", "lo", "--count", "1");
        Assert.Equal(4, live.ExitCode);
        Assert.StartsWith("error: -i needs libpcap", live.Stderr);
    }

    /// <summary>The namespace with the veth pair: frames sent from the peer arrive on the capture side only.</summary>
    private static TestNamespace Namespace()
    {
        var ns = new TestNamespace();
        TestNamespace.Ip("-n", ns.Name, "link", "add", Capture, "address", "02:00:00:00:00:10", "type", "veth", "peer", "name", Peer);
        TestNamespace.Ip("-n", ns.Name, "link", "set", Capture, "up");
        TestNamespace.Ip("-n", ns.Name, "link", "set", Peer, "up");
        TestNamespace.Ip("-n", ns.Name, "addr", "add", "10.9.3.1/24", "dev", Peer);
        TestNamespace.Ip("-n", ns.Name, "neigh", "replace", "10.9.3.2", "lladdr", "02:00:00:00:00:10", "dev", Peer, "nud", "permanent");
        return ns;
    }

    private static void Send(TestNamespace ns, int port, int datagrams) =>
        TestNamespace.Ip("netns", "exec", ns.Name, "bash", "-c", $"for i in $(seq 1 {datagrams}); do echo $i > /dev/udp/10.9.3.2/{port}; done");
}
