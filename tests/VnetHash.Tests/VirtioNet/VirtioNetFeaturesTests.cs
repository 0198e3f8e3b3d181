using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary>Feature bits (virtio spec §1.1) and the vhost-net header length rule (kernel-series §7).</summary>
public class VirtioNetFeaturesTests
{
    [Fact]
    public void Feature_bits_have_the_spec_positions()
    {
        Assert.Equal(1UL << 15, (ulong)VirtioNetFeatures.MrgRxBuf);
        Assert.Equal(1UL << 17, (ulong)VirtioNetFeatures.CtrlVq);
        Assert.Equal(1UL << 22, (ulong)VirtioNetFeatures.Mq);
        Assert.Equal(1UL << 32, (ulong)VirtioNetFeatures.Version1);
        Assert.Equal(1UL << 51, (ulong)VirtioNetFeatures.HashTunnel);
        Assert.Equal(1UL << 57, (ulong)VirtioNetFeatures.HashReport);
        Assert.Equal(1UL << 60, (ulong)VirtioNetFeatures.Rss);
    }

    [Theory]
    [InlineData(VirtioNetFeatures.None, 10)]
    [InlineData(VirtioNetFeatures.CtrlVq | VirtioNetFeatures.Mq | VirtioNetFeatures.Rss, 10)]
    [InlineData(VirtioNetFeatures.MrgRxBuf, 12)]
    [InlineData(VirtioNetFeatures.Version1, 12)]
    [InlineData(VirtioNetFeatures.Version1 | VirtioNetFeatures.MrgRxBuf | VirtioNetFeatures.Rss, 12)]
    [InlineData(VirtioNetFeatures.Version1 | VirtioNetFeatures.HashReport, 20)]
    [InlineData(VirtioNetFeatures.Version1 | VirtioNetFeatures.HashReport | VirtioNetFeatures.MrgRxBuf, 20)]
    public void LengthFor_follows_the_vhost_net_rule(VirtioNetFeatures features, int expected)
    {
        Assert.Equal(expected, VirtioNetHeader.LengthFor(features));
    }

    [Fact]
    public void LengthFor_refuses_hash_report_without_version_1()
    {
        // kernel-series §7: HASH_REPORT without VIRTIO_F_VERSION_1 is EINVAL.
        var error = Assert.Throws<VirtioNetHeaderException>(() => VirtioNetHeader.LengthFor(VirtioNetFeatures.HashReport | VirtioNetFeatures.MrgRxBuf));
        Assert.Equal(VirtioNetHeaderError.HashReportRequiresVersion1, error.Error);
    }
}
