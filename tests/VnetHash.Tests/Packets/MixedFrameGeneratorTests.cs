using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Tests.Packets;

public class MixedFrameGeneratorTests
{
    [Fact]
    public void Same_seed_gives_the_same_frames()
    {
        var a = new MixedFrameGenerator(7) { KernelDivergences = true };
        var b = new MixedFrameGenerator(7) { KernelDivergences = true };
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(a.Next(), b.Next());
        }
    }

    [Fact]
    public void Frames_reach_every_report_type_and_every_linux_tun_divergence()
    {
        var generator = new MixedFrameGenerator(1) { KernelDivergences = true };
        var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All);
        var kernel = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.AllNonEx, HashProfile.LinuxTun);
        var spec = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.AllNonEx);
        var reports = new HashSet<HashReport>();
        int differing = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] frame = generator.Next();
            reports.Add(hasher.Hash(frame, FrameKind.Ethernet).Report);
            differing += kernel.Hash(frame, FrameKind.Ethernet) != spec.Hash(frame, FrameKind.Ethernet) ? 1 : 0;
        }

        Assert.Equal(Enum.GetValues<HashReport>().ToHashSet(), reports);
        Assert.InRange(differing, 100, 1500);
    }
}
