using CsCheck;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// The plain TCP/UDP shortcut of <see cref="PacketHasher.Hash(ReadOnlySpan{byte}, FrameKind)"/> must choose the same
/// type and hash as the general rules (virtio spec, "Hash calculation for incoming packets"; for the linux-tun profile
/// the series kernel's flow-dissector rules, docs/design.md) for every frame, including ones whose headers are damaged
/// or cut short anywhere, as Ethernet frames and as bare IP packets.
/// </summary>
public class PacketHasherFastPathTests
{
    private static readonly PacketHasher[] Hashers =
    [
        .. new[] { HashProfile.VirtioSpec, HashProfile.LinuxTun }.SelectMany(profile => new PacketHasher[]
        {
            new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All, profile),
            new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.IPv4 | HashTypes.IPv6 | HashTypes.UdpV4, profile),
            new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.TcpV4 | HashTypes.TcpV6Ex | HashTypes.UdpV6, profile),
            new(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All, profile, SymmetricMode.SortedTuple),
        }),

        // Every Toeplitz path of this CPU: the straight-line tuple kernels hash inside the inlined shortcut, the others
        // in its out-of-line part.
        .. ToeplitzKey.AvailableImplementations.SelectMany(path => new[] { HashProfile.VirtioSpec, HashProfile.LinuxTun }
            .Select(profile => new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey, path), HashTypes.All, profile))),
    ];

    private static readonly byte[][] Frames =
    [
        new FrameBuilder().Ethernet().IPv4("192.0.2.1", "198.51.100.7").Tcp(40000, 443).Build(),
        new FrameBuilder().Ethernet().IPv4("192.0.2.1", "198.51.100.7").Udp(40000, 53).Build(),
        new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").Tcp(40000, 443).Build(),
        new FrameBuilder().Ethernet().IPv6("2001:db8::1", "2001:db8::2").Udp(40000, 4789).Build(),
    ];

    // Behind one tag, which both profiles skip (virtio spec: the tuple is the IP packet's; the series kernel's flow
    // dissector steps over 802.1Q and 802.1ad).
    private static readonly byte[][] TaggedFrames =
    [
        new FrameBuilder().Ethernet().Vlan(100).IPv4("192.0.2.1", "198.51.100.7").Tcp(40000, 443).Build(),
        new FrameBuilder().Ethernet().Vlan(200, EtherType.QinQ).IPv4("192.0.2.1", "198.51.100.7").Udp(40000, 53).Build(),
        new FrameBuilder().Ethernet().Vlan(4094).IPv6("2001:db8::1", "2001:db8::2").Tcp(40000, 443).Build(),
        new FrameBuilder().Ethernet().Vlan(1).IPv6("2001:db8::1", "2001:db8::2").Udp(40000, 4789).Build(),
    ];

    private static readonly byte[][] AllFrames = [.. Frames, .. TaggedFrames];

    private static void AssertSameAsGeneralRules(byte[] frame)
    {
        foreach (PacketHasher hasher in Hashers)
        {
            foreach ((FrameKind kind, byte[] bytes) in new[] { (FrameKind.Ethernet, frame), (FrameKind.IP, frame.Length > 14 ? frame[14..] : []) })
            {
                PacketInfo info = PacketDissector.Dissect(bytes, kind, hasher.Profile);
                Assert.Equal(hasher.Hash(bytes, in info), hasher.Hash(bytes, kind));
            }
        }
    }

    [Fact]
    public void Plain_tcp_and_udp_frames_hash_as_the_general_rules() =>
        Assert.All(AllFrames, AssertSameAsGeneralRules);

    [Fact]
    public void Tagged_plain_frames_take_the_shortcut_under_both_profiles_and_say_where_the_tuple_lies()
    {
        foreach (HashProfile profile in new[] { HashProfile.VirtioSpec, HashProfile.LinuxTun })
        {
            var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All, profile);
            Assert.All(AllFrames, frame =>
            {
                bool tagged = TaggedFrames.Contains(frame);
                HashResult plain = hasher.TryHashPlain(frame, FrameKind.Ethernet, out int addressOffset, out int portsOffset);
                Assert.True(plain.HasHash);
                Assert.Equal(plain, hasher.Hash(frame, FrameKind.Ethernet));

                // The offsets the general dissection finds (RFC 791 and RFC 8200 header layouts behind the tag).
                PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet, profile);
                Assert.Equal((info.AddressOffset, info.PortsOffset), (addressOffset, portsOffset));
                Assert.Equal(tagged ? 18 : 14, info.AddressOffset - (info.Network == NetworkProtocol.IPv4 ? 12 : 8));

                // The inlined part leaves tags to the out-of-line part.
                Assert.Equal(tagged ? HashResult.None : plain, hasher.TryHashPlainInline(frame, FrameKind.Ethernet));
            });
            Assert.All(Frames, frame =>
            {
                Assert.True(hasher.TryHashPlain(frame.AsSpan(14), FrameKind.IP, out int addressOffset, out int portsOffset).HasHash);
                PacketInfo info = PacketDissector.Dissect(frame.AsSpan(14), FrameKind.IP, profile);
                Assert.Equal((info.AddressOffset, info.PortsOffset), (addressOffset, portsOffset));
            });
        }
    }

    [Fact]
    public void A_frame_off_the_shortcut_has_no_tuple_offsets()
    {
        var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All);
        byte[] twoTags = new FrameBuilder().Ethernet().Vlan(100, EtherType.QinQ).Vlan(200).IPv4("192.0.2.1", "198.51.100.7").Tcp(40000, 443).Build();
        byte[] fragment = new FrameBuilder().Ethernet().Vlan(100).IPv4("192.0.2.1", "198.51.100.7", moreFragments: true).Tcp(40000, 443).Build();
        foreach (byte[] frame in new[] { twoTags, fragment })
        {
            Assert.Equal(HashResult.None, hasher.TryHashPlain(frame, FrameKind.Ethernet, out int addressOffset, out int portsOffset));
            Assert.Equal((-1, -1), (addressOffset, portsOffset));
            AssertSameAsGeneralRules(frame);
        }
    }

    [Fact]
    public void Plain_tcp_and_udp_frames_take_the_shortcut_under_both_profiles()
    {
        // Otherwise the property below would compare the general path with itself.
        foreach (HashProfile profile in new[] { HashProfile.VirtioSpec, HashProfile.LinuxTun })
        {
            var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All, profile);
            Assert.All(Frames, frame =>
            {
                Assert.True(hasher.TryHashPlain(frame, FrameKind.Ethernet).HasHash);
                Assert.True(hasher.TryHashPlain(frame.AsSpan(14), FrameKind.IP).HasHash);
            });
        }
    }

    [Fact]
    public void Plain_tcp_and_udp_frames_take_the_shortcut_on_every_toeplitz_path()
    {
        foreach (ToeplitzImplementation path in ToeplitzKey.AvailableImplementations)
        {
            var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey, path), HashTypes.All);
            Assert.All(AllFrames, frame =>
            {
                HashResult plain = hasher.TryHashPlain(frame, FrameKind.Ethernet);
                Assert.True(plain.HasHash);
                Assert.Equal(plain, hasher.HashOutOfLine(frame, FrameKind.Ethernet));
                HashResult inline = hasher.TryHashPlainInline(frame, FrameKind.Ethernet);
                Assert.True(inline == plain || inline == HashResult.None, $"{path}: the inlined shortcut gave {inline}, the full one {plain}.");
            });
        }
    }

    // The straight-line kernels (Gfni512, CarrylessMultiply) hash inside the inlined part of the shortcut. A tuple that
    // fell to the out-of-line part there would still get the right hash, only slower, so these ask the inlined part
    // itself, and check its hash against a Table key's, a path that shares no kernel with them.
    private static void AssertHashedInline(ToeplitzPaths paths, ReadOnlySpan<byte> key, HashTypes types, byte[][] frames)
    {
        foreach (HashProfile profile in new[] { HashProfile.VirtioSpec, HashProfile.LinuxTun })
        {
            var hasher = new PacketHasher(new ToeplitzKey(key, paths), types, profile);
            var reference = new PacketHasher(new ToeplitzKey(key, ToeplitzImplementation.Table), types, profile);
            foreach (byte[] frame in frames)
            {
                foreach ((FrameKind kind, byte[] bytes) in new[] { (FrameKind.Ethernet, frame), (FrameKind.IP, frame[14..]) })
                {
                    HashResult inline = hasher.TryHashPlainInline(bytes, kind);
                    Assert.True(inline.HasHash, $"{paths} ({profile}, {kind}): the inlined shortcut left a plain frame.");
                    Assert.Equal(reference.Hash(bytes, kind), inline);
                }
            }
        }
    }

    [SkippableFact]
    public void Carryless_multiply_hashes_plain_frames_inside_the_inlined_shortcut()
    {
        Skip.IfNot(ToeplitzKey.IsSupported(ToeplitzImplementation.CarrylessMultiply), "This CPU, or the runtime's instruction sets, lack carry-less multiplication.");
        AssertHashedInline(ToeplitzPaths.Everywhere(ToeplitzImplementation.CarrylessMultiply), ToeplitzKey.MicrosoftKey, HashTypes.All, Frames);
    }

    [SkippableFact]
    public void Gfni512_hashes_plain_frames_inside_the_inlined_shortcut_each_tuple_on_its_own_path()
    {
        Skip.IfNot(ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni512), "This CPU, or the runtime's instruction sets, lack GFNI with AVX-512BW and VBMI.");
        AssertHashedInline(ToeplitzPaths.Everywhere(ToeplitzImplementation.Gfni512), ToeplitzKey.MicrosoftKey, HashTypes.All, Frames);

        // Each tuple takes its own path's constants: one tuple on Gfni512, the other on CarrylessMultiply.
        if (ToeplitzKey.IsSupported(ToeplitzImplementation.CarrylessMultiply))
        {
            foreach ((ToeplitzImplementation ipv4, ToeplitzImplementation ipv6) in new[]
            {
                (ToeplitzImplementation.Gfni512, ToeplitzImplementation.CarrylessMultiply),
                (ToeplitzImplementation.CarrylessMultiply, ToeplitzImplementation.Gfni512),
            })
            {
                ToeplitzPaths mixed = ToeplitzPaths.Everywhere(ToeplitzImplementation.Table)
                    .With(ToeplitzOperation.Hash12, ipv4)
                    .With(ToeplitzOperation.Hash36, ipv6);
                AssertHashedInline(mixed, ToeplitzKey.MicrosoftKey, HashTypes.All, Frames);
            }
        }

        // A key long enough for the 12-byte tuple only (16 bytes of input): IPv4 on Gfni512, no IPv6 tuple at all.
        AssertHashedInline(ToeplitzPaths.Everywhere(ToeplitzImplementation.Gfni512), ToeplitzKey.MicrosoftKey[..20], HashTypes.TcpV4 | HashTypes.UdpV4, Frames[..2]);
    }

    [Fact]
    public void Damaged_or_truncated_tcp_and_udp_frames_hash_as_the_general_rules() =>
        Gen.Select(Gen.Int[0, AllFrames.Length - 1], Gen.Select(Gen.Int[0, 74], Gen.Byte).Array[0, 4], Gen.Int[0, 94])
            .Sample(t =>
            {
                (int which, (int Position, byte Value)[] changes, int cut) = t;
                byte[] frame = (byte[])AllFrames[which].Clone();
                foreach ((int position, byte value) in changes)
                {
                    frame[position % frame.Length] = value;
                }

                AssertSameAsGeneralRules(frame[..Math.Min(frame.Length, cut)]);
                AssertSameAsGeneralRules(frame);
            }, iter: 10000);
}
