using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;

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

    /// <summary>
    /// The bounds the dissector enforces (PacketDissector.MaxVlanTags, MaxExtensionHeaders; docs/design.md) and its
    /// "full transport header inside the packet" rule (virtio spec 5.1.6.4.3) are only tested if frames reach them.
    /// </summary>
    [Fact]
    public void Stressing_frames_run_past_the_dissectors_bounds_and_cut_transports_short()
    {
        var generator = new MixedFrameGenerator(2) { Damaged = true, BeyondBounds = true };
        int deepTags = 0, deepHeaders = 0, cutTransports = 0, cutFrames = 0;
        for (int i = 0; i < 4000; i++)
        {
            byte[] frame = generator.Next();
            (int tags, int extensionHeaders) = Depths(frame);
            deepTags += tags > PacketDissector.MaxVlanTags ? 1 : 0;
            deepHeaders += extensionHeaders > PacketDissector.MaxExtensionHeaders ? 1 : 0;
            PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);
            bool transportNamed = info.Protocol is IPProtocol.Tcp or IPProtocol.Udp && !info.IsFragment;
            cutTransports += transportNamed && info.Transport == TransportProtocol.None ? 1 : 0;
            cutFrames += frame.Length < 34 ? 1 : 0;
        }

        Assert.True(deepTags > 0, "no frame with more tags than the dissector walks");
        Assert.True(deepHeaders > 0, "no frame with more extension headers than the dissector walks");
        Assert.True(cutTransports > 0, "no TCP or UDP header cut short");
        Assert.True(cutFrames > 0, "no frame cut short");
    }

    [Fact]
    public void Nested_frames_are_reproducible_and_reach_the_linux_tun_header_bound()
    {
        var a = new MixedFrameGenerator(3);
        var b = new MixedFrameGenerator(3);
        var kernel = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.AllNonEx, HashProfile.LinuxTun);
        int hashed = 0, unhashed = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] frame = a.NextNested();
            Assert.Equal(frame, b.NextNested());
            bool hasHash = kernel.Hash(frame, FrameKind.Ethernet).HasHash;
            hashed += hasHash ? 1 : 0;
            unhashed += hasHash ? 0 : 1;
        }

        // Up to nine layers of two or more headers each: some walks end on an IP header, some run out of steps.
        Assert.True(hashed > 0 && unhashed > 0, $"{hashed} hashed, {unhashed} not");
    }

    /// <summary>Tags after the MAC addresses, and the IPv6 extension headers behind them.</summary>
    private static (int Tags, int ExtensionHeaders) Depths(byte[] frame)
    {
        int offset = 12, tags = 0;
        while (offset + 4 <= frame.Length && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset)) is EtherType.Vlan or EtherType.QinQ)
        {
            tags++;
            offset += 4;
        }

        if (offset + 2 + 40 > frame.Length || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset)) != EtherType.IPv6)
        {
            return (tags, 0);
        }

        int next = frame[offset + 2 + 6], at = offset + 2 + 40, headers = 0;
        while (next is IPProtocol.HopByHop or IPProtocol.Routing or IPProtocol.DestinationOptions or IPProtocol.Fragment
            or IPProtocol.AuthenticationHeader or IPProtocol.Mobility && at + 2 <= frame.Length)
        {
            headers++;
            int length = next == IPProtocol.AuthenticationHeader ? (frame[at + 1] + 2) * 4 : next == IPProtocol.Fragment ? 8 : (frame[at + 1] + 1) * 8;
            next = frame[at];
            at += length;
        }

        return (tags, headers);
    }
}
