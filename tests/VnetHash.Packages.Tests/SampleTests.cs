using System.Globalization;
using System.Text.RegularExpressions;
using VnetHash.Hashing;
using VnetHash.Packages.Tests.Infrastructure;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Packages.Tests;

/// <summary>
/// Issue "Libraries people can install", Native AOT proven: samples/VnetHash.Sample, restored from the packed
/// packages, publishes with Native AOT and no warning, and its TAP example steers real flows in the kernel with the
/// hash reports the core computes. The READMEs show its code, so their example cannot drift from it.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed partial class SampleTests(PackedRepository repository)
{
    private const int Queues = 4;
    private const int Flows = 8;

    [Fact]
    public void The_sample_restored_from_the_packages_publishes_with_native_aot_and_no_warning()
    {
        Command.Result publish = repository.Published;

        Assert.True(publish.ExitCode == 0, publish.All);
        Assert.DoesNotContain("warning", publish.All, StringComparison.OrdinalIgnoreCase);

        // One native executable: no managed assembly of the sample or of the packages beside it.
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(repository.SampleExecutable)!, "*.dll"));
        byte[] head = File.ReadAllBytes(repository.SampleExecutable)[..4];
        Assert.Equal("\u007fELF"u8.ToArray(), head);
    }

    [RootFact]
    public void The_sample_steers_each_flow_in_the_kernel_with_the_queue_and_hash_report_of_the_core()
    {
        Assert.True(repository.Published.ExitCode == 0, repository.Published.All);
        string netns = $"vnethash-pkg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30];
        Ip("netns", "add", netns);
        try
        {
            // The tap a VMM's set-up would make: multi-queue, IPv6 off (the kernel sends nothing of its own on it),
            // an address, and a neighbour whose datagrams leave through it.
            Ip("netns", "exec", netns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            Ip("-n", netns, "tuntap", "add", "vs0", "mode", "tap", "multi_queue");
            Ip("-n", netns, "addr", "add", "10.99.0.1/24", "dev", "vs0");
            Ip("-n", netns, "link", "set", "vs0", "up");
            Ip("-n", netns, "neigh", "add", "10.99.0.2", "lladdr", "02:00:00:00:00:02", "dev", "vs0", "nud", "permanent");

            Command.Result run = Command.Run("ip", ["netns", "exec", netns, repository.SampleExecutable, "vs0", "10.99.0.2", Flows.ToString(CultureInfo.InvariantCulture)], stallLimit: TimeSpan.FromMinutes(1));

            Assert.True(run.ExitCode == 0, run.All);
            var steering = new RssSteering(RssConfiguration.RoundRobin(Queues));
            string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

            // The core-only example: Microsoft's RSS verification vector, TCP/IPv4.
            var example = new HashResult(0x51ccc178, HashReport.TcpV4);
            Assert.Equal($"example: queue {steering.SelectQueue(example, Queues)} hash 0x51ccc178 TcpV4", lines[0]);
            Assert.Equal("steering: Ebpf", lines[1]);

            Match[] flows = [.. lines.Skip(2).Select(line => FlowLine().Match(line))];
            Assert.All(flows, match => Assert.True(match.Success, match.Value));
            Assert.Equal(
                Enumerable.Range(0, Flows).Select(i => 40000 + (128 * i)),
                flows.Select(f => int.Parse(f.Groups["port"].Value, CultureInfo.InvariantCulture)).Order());
            foreach (Match flow in flows)
            {
                ushort port = ushort.Parse(flow.Groups["port"].Value, CultureInfo.InvariantCulture);
                byte[] frame = new FrameBuilder().Ethernet().IPv4("10.99.0.1", "10.99.0.2").Udp(port, 9).Payload("hello"u8.ToArray()).Build();
                RssDecision core = steering.Decide(frame, FrameKind.Ethernet, Queues);
                string expected = $"queue {core.Queue} hash 0x{core.Hash.Value:x8} {core.Hash.Report}";

                Assert.Equal(HashReport.UdpV4, core.Hash.Report);
                Assert.Equal(expected, flow.Groups["kernel"].Value);
                Assert.Equal(expected, flow.Groups["core"].Value);
            }

            // The ports were chosen to spread; a backend that put everything on one queue would be caught here too.
            Assert.Equal(Queues, flows.Select(f => f.Groups["kernel"].Value.Split(' ')[1]).Distinct().Count());
        }
        finally
        {
            Ip("netns", "del", netns);
        }
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/VnetHash/README.md")]
    [InlineData("src/VnetHash.Tap/README.md")]
    public void The_readme_example_is_the_sample_program(string readme)
    {
        string program = File.ReadAllText(repository.SampleSource);
        string[] examples = [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(repository.Root, readme))).Select(m => m.Groups["code"].Value)];

        Assert.NotEmpty(examples);
        Assert.All(examples, code => Assert.Contains(code, program, StringComparison.Ordinal));
    }

    private static void Ip(params string[] args)
    {
        Command.Result result = Command.Run("ip", args);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', args)}: {result.All}");
    }

    [GeneratedRegex(@"^flow (?<port>\d+): (?<kernel>queue \d+ hash 0x[0-9a-f]{8} \w+); core: (?<core>queue \d+ hash 0x[0-9a-f]{8} \w+)$")]
    private static partial Regex FlowLine();

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
