using CsCheck;
using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary><c>virtio_net_config</c> (virtio spec "Device configuration layout"): layout, which fields exist, and the device's rules.</summary>
public class VirtioNetDeviceConfigTests
{
    private const VirtioNetFeatures Everything = VirtioNetFeatures.Mac | VirtioNetFeatures.Status | VirtioNetFeatures.CtrlVq | VirtioNetFeatures.Mq
        | VirtioNetFeatures.Mtu | VirtioNetFeatures.SpeedDuplex | VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport | VirtioNetFeatures.HashTunnel;

    // mac 020000000001, status 1, 8 pairs, mtu 1500, speed 10000, duplex full, key 40, table 128, hash types 0x1ff,
    // tunnel types 0x1ff: each field at its offset, little-endian.
    private const string SampleHex = "020000000001" + "0100" + "0800" + "dc05" + "10270000" + "01" + "28" + "8000" + "ff010000" + "ff010000";

    private static VirtioNetDeviceConfig Sample() => new(
        Everything, [2, 0, 0, 0, 0, 1], status: 1, maxVirtqueuePairs: 8, mtu: 1500, speed: 10000, duplex: 1,
        rssMaxKeySize: 40, rssMaxIndirectionTableLength: 128, supportedHashTypes: HashTypes.All, supportedTunnelTypes: TunnelTypes.All);

    private static ConfigurationRule ErrorOf(byte[] bytes, VirtioNetFeatures features, string field)
    {
        Assert.False(VirtioNetDeviceConfig.TryDecode(bytes, features, out var config, out var error));
        Assert.Null(config);
        var thrown = Assert.Throws<ConfigurationException>(() => VirtioNetDeviceConfig.Decode(bytes, features));
        Assert.Equal(error, thrown.Rule);
        Assert.Equal(field, thrown.Field);
        return error;
    }

    [Fact]
    public void Sample_encodes_to_the_layout_and_decodes_back()
    {
        Assert.Equal(SampleHex, Convert.ToHexStringLower(Sample().ToArray()));
        var decoded = VirtioNetDeviceConfig.Decode(Convert.FromHexString(SampleHex), Everything);
        Assert.Equal(TunnelTypes.All, decoded.SupportedTunnelTypes);
        Assert.Equal(HashTypes.All, decoded.SupportedHashTypes);
        Assert.Equal((ushort)8, decoded.MaxVirtqueuePairs);
        Assert.Equal(new VirtioNetDeviceLimits(8, 40, 128, HashTypes.All, TunnelTypes.All), decoded.ToLimits());
    }

    // "Field supported_tunnel_types only exists if ... VIRTIO_NET_F_HASH_TUNNEL is set"; supported_hash_types and
    // rss_max_key_size with RSS or HASH_REPORT; rss_max_indirection_table_length with RSS; the layout ends at the last
    // field the features bring.
    [Theory]
    [InlineData(VirtioNetFeatures.None, 6)]
    [InlineData(VirtioNetFeatures.Status, 8)]
    [InlineData(VirtioNetFeatures.Mq, 10)]
    [InlineData(VirtioNetFeatures.Mtu, 12)]
    [InlineData(VirtioNetFeatures.SpeedDuplex, 17)]
    [InlineData(VirtioNetFeatures.HashReport, 24)]
    [InlineData(VirtioNetFeatures.Rss, 24)]
    [InlineData(VirtioNetFeatures.CtrlVq | VirtioNetFeatures.Rss | VirtioNetFeatures.HashTunnel, 28)]
    public void The_layout_ends_at_the_last_field_the_features_bring(VirtioNetFeatures features, int length) =>
        Assert.Equal(length, VirtioNetDeviceConfig.LengthFor(features));

    [Fact]
    public void Fields_the_features_do_not_bring_read_as_zero_and_are_not_written()
    {
        var features = VirtioNetFeatures.CtrlVq | VirtioNetFeatures.HashReport;
        var decoded = VirtioNetDeviceConfig.Decode(Convert.FromHexString(SampleHex), features);
        Assert.Equal((ushort)0, decoded.MaxVirtqueuePairs);
        Assert.Equal((ushort)0, decoded.RssMaxIndirectionTableLength);
        Assert.Equal(TunnelTypes.None, decoded.SupportedTunnelTypes);
        Assert.Equal((byte)40, decoded.RssMaxKeySize);
        Assert.Equal(1, decoded.ToLimits().QueuePairs);
        Assert.Equal(TunnelTypes.None, decoded.ToLimits().SupportedTunnelTypes);
        Assert.Equal("020000000001" + "0000" + "0000" + "0000" + "00000000" + "00" + "28" + "0000" + "ff010000", Convert.ToHexStringLower(decoded.ToArray()));
    }

    [Fact]
    public void Every_configuration_round_trips()
    {
        Gen.Select(Gen.UShort[1, 0x8000], Gen.Byte[40, 255], Gen.UShort[128, ushort.MaxValue], Gen.UInt[0, 0x1FF], Gen.UInt[0, 0x1FF]).Sample((pairs, key, table, hash, tunnel) =>
        {
            var config = new VirtioNetDeviceConfig(VirtioNetFeatures.CtrlVq | VirtioNetFeatures.Mq | VirtioNetFeatures.Rss | VirtioNetFeatures.HashTunnel,
                maxVirtqueuePairs: pairs, rssMaxKeySize: key, rssMaxIndirectionTableLength: table, supportedHashTypes: (HashTypes)hash, supportedTunnelTypes: (TunnelTypes)tunnel);
            var back = VirtioNetDeviceConfig.Decode(config.ToArray(), config.Features);
            Assert.Equal(config.ToLimits(), back.ToLimits());
            Assert.Equal(config.ToArray(), back.ToArray());
        });
    }

    // "The driver MUST ignore bits in supported_tunnel_types which are not documented in this specification."
    [Fact]
    public void Undocumented_supported_tunnel_type_bits_are_ignored()
    {
        byte[] bytes = Convert.FromHexString(SampleHex);
        bytes[27] = 0x80;
        var decoded = VirtioNetDeviceConfig.Decode(bytes, Everything);
        Assert.Equal((TunnelTypes)0x800001FF, decoded.SupportedTunnelTypes);
        Assert.Equal(TunnelTypes.All, decoded.ToLimits().SupportedTunnelTypes);
    }

    [Fact]
    public void A_layout_shorter_than_its_features_need_is_Truncated() =>
        Assert.Equal(ConfigurationRule.Truncated, ErrorOf(Convert.FromHexString(SampleHex)[..27], Everything, "virtio_net_config"));

    // "VIRTIO_NET_F_HASH_TUNNEL Requires VIRTIO_NET_F_CTRL_VQ along with VIRTIO_NET_F_RSS or VIRTIO_NET_F_HASH_REPORT."
    [Theory]
    [InlineData(VirtioNetFeatures.HashTunnel | VirtioNetFeatures.Rss)]
    [InlineData(VirtioNetFeatures.HashTunnel | VirtioNetFeatures.CtrlVq)]
    public void Hash_tunnel_without_its_requirements_is_FeatureRequirementMissing(VirtioNetFeatures features) =>
        Assert.Equal(ConfigurationRule.FeatureRequirementMissing, ErrorOf(Convert.FromHexString(SampleHex), features | VirtioNetFeatures.Mq, "features"));

    // The device's rules ("Device configuration layout", device requirements).
    [Theory]
    [InlineData(8, "0000", ConfigurationRule.QueuePairsOutOfRange, "max_virtqueue_pairs")]
    [InlineData(8, "0180", ConfigurationRule.QueuePairsOutOfRange, "max_virtqueue_pairs")]
    [InlineData(10, "4300", ConfigurationRule.MtuOutOfRange, "mtu")]
    [InlineData(12, "00000080", ConfigurationRule.SpeedOutOfRange, "speed")]
    [InlineData(16, "02", ConfigurationRule.DuplexOutOfRange, "duplex")]
    [InlineData(17, "27", ConfigurationRule.MaxKeySizeTooSmall, "rss_max_key_size")]
    [InlineData(18, "7f00", ConfigurationRule.MaxIndirectionTableLengthTooSmall, "rss_max_indirection_table_length")]
    public void A_field_breaking_a_device_rule_is_named(int offset, string hex, ConfigurationRule expected, string field)
    {
        byte[] bytes = Convert.FromHexString(SampleHex);
        Convert.FromHexString(hex).CopyTo(bytes, offset);
        Assert.Equal(expected, ErrorOf(bytes, Everything, field));
    }

    [Theory]
    [InlineData(12, "ffffffff")]
    [InlineData(16, "ff")]
    [InlineData(16, "00")]
    [InlineData(8, "0080")]
    [InlineData(10, "4400")]
    public void Boundary_values_are_accepted(int offset, string hex)
    {
        byte[] bytes = Convert.FromHexString(SampleHex);
        Convert.FromHexString(hex).CopyTo(bytes, offset);
        VirtioNetDeviceConfig.Decode(bytes, Everything).Validate();
    }
}
