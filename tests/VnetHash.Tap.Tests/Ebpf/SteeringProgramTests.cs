using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;
using VnetHash.Traffic;
using Xunit.Abstractions;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>Loading the embedded steering program and what the kernel says about it.</summary>
public sealed class SteeringProgramTests(ITestOutputHelper output)
{
    [BpfFact]
    public void TheEmbeddedProgramPassesTheVerifier() => PassesTheVerifier(HashProfile.VirtioSpec, EbpfSteering.ProgramName);

    /// <summary>The linux-tun program's 16-step walk (MAX_FLOW_DISSECT_HDRS + 1) stays within the verifier's budget.</summary>
    [BpfFact]
    public void TheEmbeddedLinuxTunProgramPassesTheVerifier() => PassesTheVerifier(HashProfile.LinuxTun, EbpfSteering.LinuxTunProgramName);

    private void PassesTheVerifier(HashProfile profile, string name)
    {
        using EbpfSteering steering = EbpfSteering.Load(RssConfiguration.RoundRobin(4, profile == HashProfile.LinuxTun ? HashTypes.AllNonEx : HashTypes.All, profile: profile));
        BpfProgramInfo info = steering.Program.GetInfo();
        output.WriteLine($"{profile}: verified_insns={info.VerifiedInstructions} xlated_prog_len={info.TranslatedLength} jited_prog_len={info.JitedLength} instructions in object={steering.Program.Spec!.InstructionCount}");
        Assert.Equal(name[..15], info.Name); // the kernel keeps 15 bytes of a name
        Assert.True(info.VerifiedInstructions > 0);
        Assert.True(info.TranslatedLength > 0);
    }

    /// <summary>
    /// Cost per packet from BPF_PROG_TEST_RUN (the kernel's average over the repetitions) for the steering program
    /// and the two-instruction program; printed for the record, never asserted on. The steering program must still
    /// return the core's queue for these frames.
    /// </summary>
    [BpfFact]
    public void CostPerPacketIsReported() => ReportCost(HashProfile.VirtioSpec);

    /// <summary>The same for the linux-tun program, with the series' six types.</summary>
    [BpfFact]
    public void CostPerPacketIsReported_LinuxTun() => ReportCost(HashProfile.LinuxTun);

    private void ReportCost(HashProfile profile)
    {
        const int Repeat = 100_000;
        RssConfiguration configuration = RssConfiguration.RoundRobin(4, profile == HashProfile.LinuxTun ? HashTypes.AllNonEx : HashTypes.All, profile: profile);
        using EbpfSteering steering = EbpfSteering.Load(configuration);
        using BpfProgram trivial = BpfProgram.Load(BpfProgramSpec.Trivial());
        var core = new RssSteering(configuration);
        (string Name, byte[] Frame)[] frames =
        [
            ("IPv4/TCP", new FrameBuilder().Ethernet().IPv4("66.9.149.187", "161.142.100.80").Tcp(2794, 1766).Build()),
            ("IPv6/TCP", new FrameBuilder().Ethernet().IPv6("3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1").Tcp(2794, 1766).Build()),
            ("IPv4/UDP in 802.1Q", new FrameBuilder().Ethernet().Vlan(5).IPv4("10.0.0.1", "10.0.0.2").Udp(1000, 2000).Build()),
            ("IPv6/TCP with HAO and RH2", new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").DestinationOptions("2001:db8::99").Routing("2001:db8::98").Tcp(1, 2).Build()),
        ];
        foreach (var (name, frame) in frames)
        {
            int best = int.MaxValue;
            int baseline = int.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                BpfTestRunResult run = steering.Program.TestRunFrame(frame, Repeat);
                Assert.Equal((uint)core.Decide(frame, FrameKind.Ethernet, 65536).Queue, run.ReturnValue);
                best = Math.Min(best, (int)run.DurationNanoseconds);
                baseline = Math.Min(baseline, (int)trivial.TestRunFrame(frame, Repeat).DurationNanoseconds);
            }

            output.WriteLine($"{profile} {name}: steering {best} ns/packet, trivial {baseline} ns/packet, body {best - baseline} ns (best of 5 x {Repeat} repetitions)");
        }
    }

    [BpfFact]
    public void TheTrivialProgramReturnsZero()
    {
        using BpfProgram trivial = BpfProgram.Load(BpfProgramSpec.Trivial());
        Assert.Equal(0u, trivial.TestRunFrame(new byte[60]).ReturnValue);
        Assert.Equal(2u, trivial.GetInfo().VerifiedInstructions);
    }
}
