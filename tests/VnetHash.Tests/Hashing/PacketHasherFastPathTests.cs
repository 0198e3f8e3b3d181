using CsCheck;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// The plain IPv4/TCP and IPv6/TCP shortcut of <see cref="PacketHasher.Hash(ReadOnlySpan{byte}, FrameKind)"/>
/// must choose the same type and hash as the general rules (virtio spec, "Hash calculation for incoming
/// packets") for every frame, including ones whose headers are damaged or cut short anywhere.
/// </summary>
public class PacketHasherFastPathTests
{
    private static readonly PacketHasher[] Hashers =
    [
        new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All),
        new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.IPv4 | HashTypes.IPv6 | HashTypes.UdpV4),
        new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.TcpV4 | HashTypes.TcpV6Ex),
    ];

    private static readonly byte[][] Frames =
    [
        new FrameBuilder().Ethernet().IPv4("192.0.2.1", "198.51.100.7").Tcp(40000, 443).Build(),
        new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").Tcp(40000, 443).Build(),
    ];

    private static void AssertSameAsGeneralRules(byte[] frame)
    {
        foreach (PacketHasher hasher in Hashers)
        {
            PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet, hasher.Profile);
            Assert.Equal(hasher.Hash(frame, in info), hasher.Hash(frame, FrameKind.Ethernet));
        }
    }

    [Fact]
    public void Plain_tcp_frames_hash_as_the_general_rules() =>
        Assert.All(Frames, AssertSameAsGeneralRules);

    [Fact]
    public void Damaged_or_truncated_tcp_frames_hash_as_the_general_rules() =>
        Gen.Select(Gen.Int[0, Frames.Length - 1], Gen.Select(Gen.Int[12, 60], Gen.Byte).Array[0, 4], Gen.Int[0, 80])
            .Sample(t =>
            {
                (int which, (int Position, byte Value)[] changes, int cut) = t;
                byte[] frame = (byte[])Frames[which].Clone();
                foreach ((int position, byte value) in changes)
                {
                    frame[position % frame.Length] = value;
                }

                AssertSameAsGeneralRules(frame[..Math.Min(frame.Length, cut)]);
                AssertSameAsGeneralRules(frame);
            }, iter: 20000);
}
