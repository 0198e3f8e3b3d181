using System.Buffers.Binary;
using VnetHash.Cli.Frames;
using VnetHash.Packets;
using FrameBuilder = VnetHash.Cli.Frames.FrameBuilder;

namespace VnetHash.Cli.Tests.Frames;

/// <summary>Synthetic frames carry valid checksums (RFC 791, 793, 768, 8200 8.1) and the headers the dissector expects.</summary>
public sealed class FrameBuilderTests
{
    private static readonly byte[] V4A = [10, 0, 0, 1], V4B = [10, 0, 0, 2];
    private static readonly byte[] V6A = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    private static readonly byte[] V6B = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    [Fact]
    public void The_ipv4_header_checksum_verifies()
    {
        byte[] ip = FrameBuilder.IP(new FrameSpec { Source = V4A, Destination = V4B, Protocol = 6, SourcePort = 1, DestinationPort = 2 });

        // A header with a correct checksum sums to 0xFFFF, so its complement is 0.
        Assert.Equal(0, FrameBuilder.Checksum(ip.AsSpan(0, 20)));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(17)]
    public void Transport_checksums_verify_over_the_pseudo_header(int protocol)
    {
        foreach (var (src, dst) in new[] { (V4A, V4B), (V6A, V6B) })
        {
            byte[] ip = FrameBuilder.IP(new FrameSpec { Source = src, Destination = dst, Protocol = protocol, SourcePort = 1000, DestinationPort = 53, PayloadLength = 33 });
            int header = src.Length == 4 ? 20 : 40;
            ReadOnlySpan<byte> segment = ip.AsSpan(header);
            uint pseudo = (uint)protocol + (uint)segment.Length;
            for (int i = 0; i < src.Length; i += 2)
            {
                pseudo += BinaryPrimitives.ReadUInt16BigEndian(src.AsSpan(i)) + (uint)BinaryPrimitives.ReadUInt16BigEndian(dst.AsSpan(i));
            }

            Assert.Equal(0, FrameBuilder.Checksum(segment, pseudo));
        }
    }

    [Fact]
    public void Vlan_tagged_frames_carry_the_tag_before_the_ethertype()
    {
        byte[] frame = FrameBuilder.Ethernet(new FrameSpec { Source = V4A, Destination = V4B, VlanId = 100 });

        Assert.Equal(0x8100, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)));
        Assert.Equal(100, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14)));
        Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16)));
    }

    [Fact]
    public void Fragments_are_seen_as_fragments_by_the_dissector()
    {
        foreach (FragmentPart part in new[] { FragmentPart.First, FragmentPart.Later })
        {
            foreach (var (src, dst) in new[] { (V4A, V4B), (V6A, V6B) })
            {
                byte[] frame = FrameBuilder.Ethernet(new FrameSpec { Source = src, Destination = dst, Protocol = 17, SourcePort = 1, DestinationPort = 2, PayloadLength = 100, Fragment = part });

                Assert.True(PacketDissector.Dissect(frame, FrameKind.Ethernet).IsFragment);
            }
        }
    }

    [Fact]
    public void Home_address_and_type_2_routing_headers_are_found_by_the_dissector()
    {
        // virtio spec: IPv6_EX types take the Home Address option's address as source and the type-2 Routing
        // header's address as destination.
        byte[] home = [.. V6A[..15], 0x77];
        byte[] routed = [.. V6B[..15], 0x88];
        byte[] frame = FrameBuilder.Ethernet(new FrameSpec { Source = V6A, Destination = V6B, Protocol = 6, SourcePort = 1, DestinationPort = 2, HomeAddress = home, RoutingAddress = routed });

        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);

        Assert.True(info.HasExtensionHeaders);
        Assert.Equal(home, frame.AsSpan(info.HomeAddressOffset, 16).ToArray());
        Assert.Equal(routed, frame.AsSpan(info.RoutingAddressOffset, 16).ToArray());
        Assert.Equal(TransportProtocol.Tcp, info.Transport);
    }
}
