using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Ebpf;
using Xunit.Abstractions;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>Loading the embedded steering program and what the kernel says about it.</summary>
public sealed class SteeringProgramTests(ITestOutputHelper output)
{
    [BpfFact]
    public void TheEmbeddedProgramPassesTheVerifier()
    {
        using EbpfSteering steering = EbpfSteering.Load(RssConfiguration.RoundRobin(4));
        BpfProgramInfo info = steering.Program.GetInfo();
        output.WriteLine($"verified_insns={info.VerifiedInstructions} xlated_prog_len={info.TranslatedLength} jited_prog_len={info.JitedLength} instructions in object={steering.Program.Spec.InstructionCount}");
        Assert.Equal(EbpfSteering.ProgramName[..15], info.Name); // the kernel keeps 15 bytes of a name
        Assert.True(info.VerifiedInstructions > 0);
        Assert.True(info.TranslatedLength > 0);
    }

    [BpfFact]
    public void TheTrivialProgramReturnsZero()
    {
        using BpfProgram trivial = BpfProgram.Load(BpfProgramSpec.Trivial());
        Assert.Equal(0u, trivial.TestRun(TestRunFrame.Wrap(new byte[60])).ReturnValue);
        Assert.Equal(2u, trivial.GetInfo().VerifiedInstructions);
    }
}
