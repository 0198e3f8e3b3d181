using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>Link-layer pseudo-headers (tcpdump.org LINKTYPE_ definitions) map to the frame the dissector takes.</summary>
public sealed class LinkLayerTests
{
    private static readonly byte[] IPv4Start = [0x45, 0, 0, 20];

    [Theory]
    [InlineData(LinkType.Ethernet, 0, PayloadKind.Ethernet)]
    [InlineData(LinkType.Raw, 0, PayloadKind.IP)]
    [InlineData(LinkType.RawBsd12, 0, PayloadKind.IP)]
    [InlineData(LinkType.RawOpenBsd14, 0, PayloadKind.IP)]
    [InlineData(LinkType.IPv4, 0, PayloadKind.IP)]
    [InlineData(LinkType.IPv6, 0, PayloadKind.IP)]
    public void Frames_without_pseudo_headers_start_at_0(LinkType linkType, int offset, PayloadKind kind) =>
        Assert.Equal(new FrameLocation(offset, kind), LinkLayer.Locate(linkType, IPv4Start));

    [Theory]
    [InlineData(0x0800, PayloadKind.IP)]
    [InlineData(0x86DD, PayloadKind.IP)]
    [InlineData(0x0806, PayloadKind.NonIP)]
    public void Linux_cooked_v1_reads_the_protocol_at_byte_14(int protocol, PayloadKind kind)
    {
        byte[] packet = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, (byte)(protocol >> 8), (byte)protocol, .. IPv4Start];

        Assert.Equal(new FrameLocation(16, kind), LinkLayer.Locate(LinkType.LinuxSll, packet));
    }

    [Theory]
    [InlineData(0x0800, PayloadKind.IP)]
    [InlineData(0x86DD, PayloadKind.IP)]
    [InlineData(0x88CC, PayloadKind.NonIP)]
    public void Linux_cooked_v2_reads_the_protocol_at_byte_0(int protocol, PayloadKind kind)
    {
        byte[] packet = [(byte)(protocol >> 8), (byte)protocol, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, .. IPv4Start];

        Assert.Equal(new FrameLocation(20, kind), LinkLayer.Locate(LinkType.LinuxSll2, packet));
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 }, PayloadKind.IP)] // AF_INET, little-endian host
    [InlineData(new byte[] { 0, 0, 0, 2 }, PayloadKind.IP)] // AF_INET, big-endian host
    [InlineData(new byte[] { 30, 0, 0, 0 }, PayloadKind.IP)] // AF_INET6 on Darwin
    [InlineData(new byte[] { 0, 0, 0, 28 }, PayloadKind.IP)] // AF_INET6 on FreeBSD, big-endian
    [InlineData(new byte[] { 7, 0, 0, 0 }, PayloadKind.NonIP)]
    public void Bsd_null_family_is_in_either_byte_order(byte[] header, PayloadKind kind) =>
        Assert.Equal(new FrameLocation(4, kind), LinkLayer.Locate(LinkType.Null, [.. header, .. IPv4Start]));

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 2 }, PayloadKind.IP)]
    [InlineData(new byte[] { 0, 0, 0, 24 }, PayloadKind.IP)]
    [InlineData(new byte[] { 2, 0, 0, 0 }, PayloadKind.NonIP)] // LOOP is always network byte order
    public void Loop_family_is_in_network_byte_order(byte[] header, PayloadKind kind) =>
        Assert.Equal(new FrameLocation(4, kind), LinkLayer.Locate(LinkType.Loop, [.. header, .. IPv4Start]));

    [Fact]
    public void Short_cooked_headers_are_not_ip() =>
        Assert.Equal(PayloadKind.NonIP, LinkLayer.Locate(LinkType.LinuxSll, [0, 0, 0]).Kind);

    [Fact]
    public void Unknown_link_types_are_reported() =>
        Assert.Equal(PayloadKind.UnsupportedLinkType, LinkLayer.Locate((LinkType)147, IPv4Start).Kind);
}
