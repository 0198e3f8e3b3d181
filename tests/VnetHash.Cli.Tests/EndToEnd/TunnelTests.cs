using System.Globalization;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// Inner-header hashing through the installed tool (virtio spec "Inner Header Hash"; docs/design.md "Tunnels:
/// inner-header hashing"): <c>--tunnel-types</c> and <c>--tunnel-ports</c> on <c>hash</c>, <c>analyze</c>,
/// <c>config</c> and <c>tap run</c>, <c>generate --tunnels</c>, and the hash-tunnel and device-configuration codecs.
/// </summary>
public sealed class TunnelTests
{
    private const int Queues = 4;

    private static readonly (TunnelTypes Type, string Name)[] Types =
    [
        (TunnelTypes.Gre2784, "gre-2784"),
        (TunnelTypes.Gre2890, "gre-2890"),
        (TunnelTypes.Gre7676, "gre-7676"),
        (TunnelTypes.GreUdp, "gre-udp"),
        (TunnelTypes.Vxlan, "vxlan"),
        (TunnelTypes.VxlanGpe, "vxlan-gpe"),
        (TunnelTypes.Geneve, "geneve"),
        (TunnelTypes.Ipip, "ipip"),
        (TunnelTypes.Nvgre, "nvgre"),
    ];

    public static TheoryData<string> TypeNames => [.. Types.Select(t => t.Name)];

    /// <summary>
    /// One frame of each encapsulation type between two hosts, each carrying its own inner TCP/IPv4 flow, and that
    /// inner packet as a frame of its own (an Ethernet header before the inner IP packet where the tunnel carries IP).
    /// </summary>
    private static (TunnelTypes Type, byte[] Frame, byte[] Inner)[] Frames()
    {
        return [.. Types.Select((t, i) => Build(t.Type, (ushort)(40000 + i)))];

        static (TunnelTypes, byte[], byte[]) Build(TunnelTypes type, ushort port)
        {
            byte[] inner = new FrameBuilder().Ethernet().IPv4("10.1.0.1", "10.1.0.2").Tcp(port, 443).Build();
            byte[] ip = inner[14..];
            FrameBuilder outer = new FrameBuilder().Ethernet();
            outer = type == TunnelTypes.Gre7676 ? outer.IPv6("2001:db8:ffff::1", "2001:db8:ffff::2") : outer.IPv4("198.51.100.1", "198.51.100.2");
            byte[] frame = (type switch
            {
                TunnelTypes.Gre2784 or TunnelTypes.Gre7676 => outer.Gre(protocol: 0x0800).Payload(ip),
                TunnelTypes.Gre2890 => outer.Gre(key: 7, protocol: 0x0800).Payload(ip),
                TunnelTypes.GreUdp => outer.Udp(port, UdpTunnelPorts.IanaGreUdp).Gre(protocol: 0x0800).Payload(ip),
                TunnelTypes.Vxlan => outer.Udp(port, UdpTunnelPorts.IanaVxlan).Vxlan(42).Payload(inner),
                TunnelTypes.VxlanGpe => outer.Udp(port, UdpTunnelPorts.IanaVxlanGpe).VxlanGpe(42, nextProtocol: 1).Payload(ip),
                TunnelTypes.Geneve => outer.Udp(port, UdpTunnelPorts.IanaGeneve).Geneve(42, protocol: 0x6558).Payload(inner),
                TunnelTypes.Ipip => outer.Payload(ip, protocol: 4),
                _ => outer.Gre(key: 42 << 8, protocol: 0x6558).Payload(inner),
            }).Build();
            return (type, frame, inner);
        }
    }

    private static RssSteering Steering(TunnelTypes tunnels) => new(RssConfiguration.RoundRobin(Queues).WithTunnels(tunnels));

    private static JsonElement[] HashAll(byte[][] frames, params string[] options)
    {
        Tool.Result result = Tool.RunWithInput(string.Join('\n', frames.Select(Convert.ToHexStringLower)), ["hash", "--frame", "-", "--json", "--queues", "4", .. options]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
    }

    /// <summary>tap run brings its link up once the steering is attached: traffic sent before would not be steered by it.</summary>
    private static void WaitForLinkUp(TestNamespace netns, string name, Tool.Running running)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var info = new System.Diagnostics.ProcessStartInfo("ip", ["-n", netns.Name, "-o", "link", "show", name]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var ip = System.Diagnostics.Process.Start(info)!;
            string line = ip.StandardOutput.ReadToEnd();
            ip.WaitForExit();

            // "5: vhcli5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ...": the administrative UP flag.
            if (line.Contains(",UP", StringComparison.Ordinal) || line.Contains("<UP", StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !running.HasExited, $"{name} never came up in {netns.Name}");
            Thread.Sleep(50);
        }
    }

    private static void AssertDecision(RssDecision expected, JsonElement answer)
    {
        Assert.Equal(expected.Hash.Value.ToString("x8", CultureInfo.InvariantCulture), answer.GetProperty("hash").GetString());
        Assert.Equal((int)expected.Hash.Report, answer.GetProperty("report_value").GetInt32());
        Assert.Equal(expected.Queue, answer.GetProperty("queue").GetInt32());
    }

    /// <summary>
    /// With one type enabled, its frame gets the hash, report and queue of the inner packet, and every frame gets what
    /// the library decides under that configuration (other types' frames the outer ones, unless they match the type too).
    /// </summary>
    [Theory]
    [MemberData(nameof(TypeNames))]
    public void With_a_type_enabled_its_frames_get_the_inner_packets_hash_report_and_queue(string name)
    {
        TunnelTypes type = Types.Single(t => t.Name == name).Type;
        var frames = Frames();
        var plain = Steering(TunnelTypes.None);
        var enabled = Steering(type);

        JsonElement[] answers = HashAll([.. frames.Select(f => f.Frame)], "--tunnel-types", name);

        Assert.Equal(frames.Length, answers.Length);
        for (int i = 0; i < frames.Length; i++)
        {
            AssertDecision(enabled.Decide(frames[i].Frame, FrameKind.Ethernet, Queues), answers[i]);
            string matched = answers[i].GetProperty("tunnel").GetString()!;
            if (frames[i].Type == type)
            {
                AssertDecision(plain.Decide(frames[i].Inner, FrameKind.Ethernet, Queues), answers[i]);
                Assert.Equal("TCPv4", answers[i].GetProperty("report").GetString());
                Assert.Contains(name, matched.Split(','));
            }
        }
    }

    /// <summary>Without --tunnel-types (every type disabled, as after a device reset) each frame gets its outer header's decision.</summary>
    [Fact]
    public void Without_tunnel_types_every_frame_gets_its_outer_headers_hash_report_and_queue()
    {
        var frames = Frames();
        var plain = Steering(TunnelTypes.None);

        JsonElement[] answers = HashAll([.. frames.Select(f => f.Frame)]);

        for (int i = 0; i < frames.Length; i++)
        {
            RssDecision outer = plain.Decide(frames[i].Frame, FrameKind.Ethernet, Queues);
            AssertDecision(outer, answers[i]);
            Assert.NotEqual(plain.Decide(frames[i].Inner, FrameKind.Ethernet, Queues).Hash, outer.Hash);
            Assert.False(answers[i].TryGetProperty("tunnel", out _));
        }
    }

    /// <summary>The text answer names the matched types; --explain says the inner packet was hashed and why.</summary>
    [Fact]
    public void Text_and_explanation_name_the_tunnel()
    {
        string vxlan = Convert.ToHexStringLower(Frames().Single(f => f.Type == TunnelTypes.Vxlan).Frame);

        Tool.Result line = Tool.Run("hash", "--frame", vxlan, "--tunnel-types", "vxlan,geneve");
        Tool.Result explained = Tool.Run("hash", "--frame", vxlan, "--tunnel-types", "all", "--explain");
        Tool.Result json = Tool.Run("hash", "--frame", vxlan, "--tunnel-types", "0x1ff", "--explain", "--json");

        Assert.Equal(0, line.ExitCode);
        Assert.Matches("^[0-9a-f]{8} TCPv4 report=2 tunnel=vxlan$", line.Stdout.Trim());
        Assert.Contains("the outer header matches the enabled encapsulation type vxlan", explained.Stdout, StringComparison.Ordinal);
        Assert.Contains("10.1.0.1 -> 10.1.0.2, ports 40004 -> 443", explained.Stdout, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        Assert.Equal("vxlan", document.RootElement.GetProperty("explain").GetProperty("tunnel").GetString());
    }

    /// <summary>UDP tunnels are recognised by destination port: --tunnel-ports moves VXLAN to Linux's 8472.</summary>
    [Fact]
    public void Tunnel_ports_choose_which_udp_destination_ports_are_tunnels()
    {
        byte[] inner = new FrameBuilder().Ethernet().IPv4("10.1.0.1", "10.1.0.2").Tcp(1000, 443).Build();
        byte[] linuxPort = new FrameBuilder().Ethernet().IPv4("198.51.100.1", "198.51.100.2").Udp(50000, 8472).Vxlan(42).Payload(inner).Build();
        var plain = Steering(TunnelTypes.None);

        JsonElement[] iana = HashAll([linuxPort], "--tunnel-types", "vxlan");
        JsonElement[] linux = HashAll([linuxPort], "--tunnel-types", "vxlan", "--tunnel-ports", "vxlan=8472");

        AssertDecision(plain.Decide(linuxPort, FrameKind.Ethernet, Queues), iana[0]);
        Assert.Equal("none", iana[0].GetProperty("tunnel").GetString());
        AssertDecision(plain.Decide(inner, FrameKind.Ethernet, Queues), linux[0]);
        Assert.Equal("vxlan", linux[0].GetProperty("tunnel").GetString());
    }

    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["hash", "--frame", "00", "--tunnel-types", "vxlan,mpls"], "--tunnel-types: unknown encapsulation type 'mpls' (known: gre-2784, gre-2890, gre-7676, gre-udp, vxlan, vxlan-gpe, geneve, ipip, nvgre, all, none, or a 0x mask)" },
        { ["hash", "--frame", "00", "--tunnel-types", "0x200"], "--tunnel-types: mask 0x200 has bits beyond the nine encapsulation types (0x1ff)" },
        { ["hash", "--frame", "00", "--tunnel-types", "ipip", "--profile", "linux-tun"], "--tunnel-types: the linux-tun profile takes no tunnel types" },
        { ["analyze", "--tunnel-types", "geneve", "--tunnel-ports", "geneve=4789"], "--tunnel-ports: VXLAN and GENEVE both use port 4789; a datagram must name one tunnel" },
        { ["config", "show", "--tunnel-ports", "vxlan=0"], "--tunnel-ports: 'vxlan=0' is not NAME=PORT with a port from 1 to 65535" },
        { ["config", "show", "--tunnel-ports", "stt=7471"], "--tunnel-ports: 'stt' is no UDP tunnel (vxlan, vxlan-gpe, geneve, gre-udp)" },
        { ["config", "encode", "--abi", "v12", "--tunnel-types", "vxlan"], "--tunnel-types: the v12 ioctl argument has no tunnel types" },
        { ["generate", "--out", "/tmp/never-written.pcapng", "--tunnels", "l2tp"], "--tunnels: unknown encapsulation type 'l2tp'" },
    };

    /// <summary>Bad tunnel options are exit code 2 with a message that names the option and the rule.</summary>
    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_tunnel_options_are_refused_naming_the_option(string[] args, string message)
    {
        Tool.Result result = Tool.Run(args);

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Tunnel traffic between two hosts is one outer flow: GRE without a key has no entropy outside, so hashed on outer
    /// headers every flow shares one queue, and hashed on inner headers they spread. analyze counts the inner-hashed
    /// packets and compares the two; without --tunnel-types it warns that the tunnels were hashed outside.
    /// </summary>
    [Fact]
    public void Analyze_counts_inner_hashed_packets_and_compares_with_outer_headers_only()
    {
        using var dir = new TempDirectory();
        string capture = dir.File("gre.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--tunnels", "gre-2784", "--flows", "64", "--packets", "640", "--out", capture).ExitCode);

        Tool.Result inner = Tool.Run("analyze", capture, "--tunnel-types", "gre-2784", "--json");
        Tool.Result outer = Tool.Run("analyze", capture, "--json");
        Tool.Result text = Tool.Run("analyze", capture, "--tunnel-types", "gre-2784");

        Assert.Equal(0, inner.ExitCode);
        using JsonDocument document = JsonDocument.Parse(inner.Stdout);
        JsonElement root = document.RootElement;
        Assert.Equal(640, root.GetProperty("inner_hashed").GetProperty("packets").GetInt64());
        Assert.Equal(640, root.GetProperty("inner_hashed").GetProperty("by_type").GetProperty("gre-2784").GetInt64());
        // Flows are the inner 5-tuples (a fragmented flow's later fragments, without ports, count apart), the same
        // in both analyses.
        Assert.True(root.GetProperty("flows").GetInt64() >= 64);
        JsonElement[] comparisons = [.. root.GetProperty("comparisons").EnumerateArray()];
        Assert.Equal(["inner headers of gre-2784", "outer headers only"], comparisons.Select(c => c.GetProperty("label").GetString()));
        Assert.True(comparisons[0].GetProperty("balance").GetProperty("flows").GetProperty("busiest_share").GetDouble() < 0.5);
        Assert.Equal(1.0, comparisons[1].GetProperty("balance").GetProperty("flows").GetProperty("busiest_share").GetDouble());
        Assert.Equal(root.GetProperty("flows").GetInt64(), comparisons[1].GetProperty("flows").GetInt64());
        Assert.Equal("none", comparisons[1].GetProperty("configuration").GetProperty("tunnel_types").GetString());

        using JsonDocument plain = JsonDocument.Parse(outer.Stdout);
        Assert.Equal(0, plain.RootElement.GetProperty("inner_hashed").GetProperty("packets").GetInt64());
        Assert.Equal(640, plain.RootElement.GetProperty("outer_only_tunnels").GetProperty("packets").GetInt64());
        Assert.Contains(plain.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("--tunnel-types gre-2784,gre-7676 hashes their inner packets", StringComparison.Ordinal));

        Assert.Contains("Hashed on an inner header: 640 of 640 packets (gre-2784 640)", text.Stdout, StringComparison.Ordinal);
    }

    /// <summary>generate --tunnels writes every flow inside a tunnel of the listed types, reproducibly.</summary>
    [Fact]
    public void Generate_tunnels_carries_every_flow_in_a_tunnel_of_the_listed_types()
    {
        using var dir = new TempDirectory();
        Tool.Result first = Tool.Run("generate", "--tunnels", "all", "--flows", "90", "--packets", "270", "--seed", "3", "--out", dir.File("a.pcapng"), "--json");
        Tool.Run("generate", "--tunnels", "all", "--flows", "90", "--packets", "270", "--seed", "3", "--out", dir.File("b.pcapng"));
        Tool.Run("generate", "--flows", "90", "--packets", "270", "--seed", "3", "--out", dir.File("plain.pcapng"));

        Assert.Equal(0, first.ExitCode);
        using (JsonDocument written = JsonDocument.Parse(first.Stdout))
        {
            Assert.Equal("all", written.RootElement.GetProperty("tunnels").GetString());
        }

        Assert.Equal(File.ReadAllBytes(dir.File("a.pcapng")), File.ReadAllBytes(dir.File("b.pcapng")));
        Tool.Result analysis = Tool.Run("analyze", dir.File("a.pcapng"), "--tunnel-types", "all", "--json");
        using JsonDocument document = JsonDocument.Parse(analysis.Stdout);
        JsonElement hashedInside = document.RootElement.GetProperty("inner_hashed");
        Assert.Equal(270, hashedInside.GetProperty("packets").GetInt64());
        Assert.All(Types, t => Assert.True(hashedInside.GetProperty("by_type").GetProperty(t.Name).GetInt64() > 0, t.Name));

        Tool.Result plain = Tool.Run("analyze", dir.File("plain.pcapng"), "--tunnel-types", "all", "--json");
        using JsonDocument plainDocument = JsonDocument.Parse(plain.Stdout);
        Assert.Equal(0, plainDocument.RootElement.GetProperty("inner_hashed").GetProperty("packets").GetInt64());
    }

    /// <summary>VIRTIO_NET_CTRL_HASH_TUNNEL_SET's payload is le32 enabled_tunnel_types; it round-trips and is validated.</summary>
    [Fact]
    public void Config_encodes_and_decodes_the_hash_tunnel_command()
    {
        Tool.Result encoded = Tool.Run("config", "encode", "--virtio", "hash_tunnel", "--tunnel-types", "vxlan,geneve");
        Tool.Result decoded = Tool.Run("config", "decode", "--virtio", "hash_tunnel", "--hex", encoded.Stdout.Trim(), "--json");
        Tool.Result unknown = Tool.Run("config", "decode", "--virtio", "hash_tunnel", "--hex", "00040000");
        Tool.Result shortened = Tool.Run("config", "decode", "--virtio", "hash_tunnel", "--hex", "5000");

        Assert.Equal(0, encoded.ExitCode);
        Assert.Equal("50000000", encoded.Stdout.Trim());
        using JsonDocument document = JsonDocument.Parse(decoded.Stdout);
        Assert.Equal("vxlan,geneve", document.RootElement.GetProperty("enabled_tunnel_types").GetString());
        Assert.Equal(0x50, document.RootElement.GetProperty("enabled_tunnel_types_mask").GetInt32());
        Assert.Equal((int)ExitCode.InvalidInput, unknown.ExitCode);
        Assert.Contains("enabled_tunnel_types", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("bit 10", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.InvalidInput, shortened.ExitCode);
    }

    /// <summary>
    /// virtio_net_config up to supported_tunnel_types: what a device serving the profile shows (virtio-spec: every
    /// type, with VIRTIO_NET_F_HASH_TUNNEL; linux-tun: no such feature, 24 bytes), decoded back under its features.
    /// </summary>
    [Fact]
    public void Config_encodes_and_decodes_the_device_configuration_with_supported_tunnel_types()
    {
        Tool.Result encoded = Tool.Run("config", "encode", "--virtio", "device_config", "--queues", "8", "--json");
        using JsonDocument encoding = JsonDocument.Parse(encoded.Stdout);
        string hex = encoding.RootElement.GetProperty("hex").GetString()!;
        Tool.Result decoded = Tool.Run("config", "decode", "--virtio", "device_config", "--hex", hex, "--json");
        Tool.Result linuxTun = Tool.Run("config", "encode", "--virtio", "device_config", "--profile", "linux-tun", "--json");
        using JsonDocument linuxEncoding = JsonDocument.Parse(linuxTun.Stdout);
        Tool.Result linuxDecoded = Tool.Run(
            "config", "decode", "--virtio", "device_config", "--hex", linuxEncoding.RootElement.GetProperty("hex").GetString()!,
            "--features", linuxEncoding.RootElement.GetProperty("features").GetString()!);
        Tool.Result wrongFeatures = Tool.Run("config", "decode", "--virtio", "device_config", "--hex", linuxEncoding.RootElement.GetProperty("hex").GetString()!);

        Assert.Equal(28, encoding.RootElement.GetProperty("length").GetInt32());
        using JsonDocument device = JsonDocument.Parse(decoded.Stdout);
        JsonElement root = device.RootElement;
        Assert.Equal(8, root.GetProperty("max_virtqueue_pairs").GetInt32());
        Assert.Equal("all", root.GetProperty("supported_tunnel_types").GetString());
        Assert.Equal(0x1ff, root.GetProperty("supported_tunnel_types_mask").GetInt32());
        Assert.Contains("HASH_TUNNEL", root.GetProperty("feature_names").GetString()!.Split(','));
        Assert.Equal(24, linuxEncoding.RootElement.GetProperty("length").GetInt32());
        Assert.Equal(0, linuxDecoded.ExitCode);
        Assert.Contains("Supported tunnel types: none (VIRTIO_NET_F_HASH_TUNNEL not offered)", linuxDecoded.Stdout, StringComparison.Ordinal);
        Assert.Contains("Supported hash types: ipv4,tcpv4,udpv4,ipv6,tcpv6,udpv6 (0x3f)", linuxDecoded.Stdout, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.InvalidInput, wrongFeatures.ExitCode);
        Assert.Contains("virtio_net_config", wrongFeatures.Stderr, StringComparison.Ordinal);
    }

    /// <summary>config show and every JSON configuration carry the tunnel types and ports.</summary>
    [Fact]
    public void Config_show_prints_the_tunnel_types_and_ports()
    {
        Tool.Result text = Tool.Run("config", "show", "--tunnel-types", "vxlan,nvgre", "--tunnel-ports", "vxlan=8472");
        Tool.Result json = Tool.Run("config", "show", "--tunnel-types", "0x110", "--tunnel-ports", "vxlan=8472", "--json");

        Assert.Contains("Tunnel types: vxlan,nvgre (0x110)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("UDP tunnel ports: vxlan=8472,vxlan-gpe=4790,geneve=6081,gre-udp=4754", text.Stdout, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        Assert.Equal("vxlan,nvgre", document.RootElement.GetProperty("tunnel_types").GetString());
        Assert.Equal(8472, document.RootElement.GetProperty("tunnel_ports").GetProperty("vxlan").GetInt32());
    }

    /// <summary>
    /// A real VXLAN device in a network namespace (Linux's own port 8472, one fixed source port, so the tunnel is one
    /// outer flow) sends its traffic out of a tap that <c>tap run</c> steers with the eBPF backend, --tunnel-types vxlan
    /// and --tunnel-ports vxlan=8472: every delivered VXLAN packet has the queue, hash and report of its inner packet as
    /// the core decides them, so the flows inside the one outer flow spread over the queues.
    /// </summary>
    [RootFact]
    public void Tap_run_with_the_ebpf_backend_steers_a_real_vxlan_tunnel_on_its_inner_packets()
    {
        using var netns = new TestNamespace();
        const string Name = "vhcli5";
        using Tool.Running run = Tool.Start(
            "tap", "run", "--name", Name, "--queues", "4", "--netns", netns.Name, "--backend", "ebpf",
            "--tunnel-types", "vxlan", "--tunnel-ports", "vxlan=8472", "--duration", "8", "--packets");
        netns.WaitForLink(Name, run);
        WaitForLinkUp(netns, Name, run);

        TestNamespace.Ip("-n", netns.Name, "addr", "add", "10.9.0.1/24", "dev", Name);
        TestNamespace.Ip("-n", netns.Name, "neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:00:00:02", "dev", Name, "nud", "permanent");
        TestNamespace.Ip("-n", netns.Name, "link", "add", "vhvx5", "type", "vxlan", "id", "42", "local", "10.9.0.1", "remote", "10.9.0.2", "dstport", "8472", "srcport", "49152", "49153", "dev", Name);
        TestNamespace.Ip("-n", netns.Name, "link", "set", "vhvx5", "up");
        TestNamespace.Ip("-n", netns.Name, "addr", "add", "10.10.0.1/24", "dev", "vhvx5");
        TestNamespace.Ip("-n", netns.Name, "neigh", "replace", "10.10.0.2", "lladdr", "02:00:00:00:01:02", "dev", "vhvx5", "nud", "permanent");

        // Each write opens a new UDP socket, so each datagram is its own inner flow; outside, all are one UDP flow.
        TestNamespace.Ip("netns", "exec", netns.Name, "bash", "-c", "for i in $(seq 1 32); do echo $i > /dev/udp/10.10.0.2/9; done");

        Tool.Result result = run.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using JsonDocument summary = JsonDocument.Parse(lines[^1]);
        Assert.Equal("ebpf", summary.RootElement.GetProperty("backend").GetString());

        var inner = new RssSteering(RssConfiguration.RoundRobin(Queues).WithTunnels(TunnelTypes.Vxlan, new UdpTunnelPorts(Vxlan: 8472)));
        var outer = Steering(TunnelTypes.None);
        var queues = new HashSet<int>();
        var outerHashes = new HashSet<uint>();
        int tunnelled = 0;
        using (JsonDocument ready = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal("ready", ready.RootElement.GetProperty("event").GetString());
        }

        // The ready line, the packets, the summary.
        foreach (string line in lines[1..^1])
        {
            using JsonDocument packet = JsonDocument.Parse(line);
            byte[] frame = Convert.FromHexString(packet.RootElement.GetProperty("frame").GetString()!);
            RssDecision expected = inner.Decide(frame, FrameKind.Ethernet, Queues);
            AssertDecision(expected, packet.RootElement);
            if (inner.Hasher.Dissect(frame, FrameKind.Ethernet).Tunnel == TunnelTypes.Vxlan)
            {
                Assert.Equal(HashReport.UdpV4, expected.Hash.Report);
                tunnelled++;
                queues.Add(expected.Queue);
                outerHashes.Add(outer.Decide(frame, FrameKind.Ethernet, Queues).Hash.Value);
            }
        }

        Assert.True(tunnelled >= 32, $"{tunnelled} VXLAN packets delivered");
        Assert.True(outerHashes.Count == 1, $"{outerHashes.Count} outer hashes: the tunnel should be one outer flow");
        Assert.True(queues.Count > 1, $"the VXLAN packets' inner flows reached {queues.Count} queue(s)");
    }
}
