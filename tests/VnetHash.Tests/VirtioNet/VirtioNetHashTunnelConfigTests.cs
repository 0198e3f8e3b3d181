using CsCheck;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary><c>virtnet_hash_tunnel</c>, the data of <c>VIRTIO_NET_CTRL_HASH_TUNNEL_SET</c> (virtio spec "Inner Header Hash").</summary>
public class VirtioNetHashTunnelConfigTests
{
    private static readonly VirtioNetDeviceLimits AllSupported = new(QueuePairs: 4);

    private static ConfigurationRule ErrorOf(string hex, VirtioNetDeviceLimits limits)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.False(VirtioNetHashTunnelConfig.TryDecode(bytes, limits, out var config, out var error));
        Assert.Null(config);
        var thrown = Assert.Throws<ConfigurationException>(() => VirtioNetHashTunnelConfig.Decode(bytes, limits));
        Assert.Equal(error, thrown.Rule);
        Assert.Equal("enabled_tunnel_types", thrown.Field);
        return error;
    }

    // "#define VIRTIO_NET_CTRL_HASH_TUNNEL 7", "#define VIRTIO_NET_CTRL_HASH_TUNNEL_SET 0"; "le32 enabled_tunnel_types".
    [Fact]
    public void Class_command_and_layout_are_the_specs()
    {
        Assert.Equal(7, VirtioNetHashTunnelConfig.ControlClass);
        Assert.Equal(0, VirtioNetHashTunnelConfig.ControlCommand);
        Assert.Equal("50010000", Convert.ToHexStringLower(new VirtioNetHashTunnelConfig(TunnelTypes.Vxlan | TunnelTypes.Geneve | TunnelTypes.Nvgre).ToArray()));
    }

    // "VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784 (1 << 0)" ... "VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE (1 << 8)".
    [Fact]
    public void Type_bits_have_the_spec_positions()
    {
        TunnelTypes[] order = [TunnelTypes.Gre2784, TunnelTypes.Gre2890, TunnelTypes.Gre7676, TunnelTypes.GreUdp, TunnelTypes.Vxlan, TunnelTypes.VxlanGpe, TunnelTypes.Geneve, TunnelTypes.Ipip, TunnelTypes.Nvgre];
        for (int bit = 0; bit < order.Length; bit++)
        {
            Assert.Equal(1u << bit, (uint)order[bit]);
        }

        Assert.Equal(0x1FFu, (uint)TunnelTypes.All);
        Assert.Equal("GRE_2784 (bit 0), VXLAN_GPE (bit 5), NVGRE (bit 8), bit 31", TunnelTypeNames.Describe(TunnelTypes.Gre2784 | TunnelTypes.VxlanGpe | TunnelTypes.Nvgre | (TunnelTypes)0x80000000));
    }

    [Fact]
    public void Every_command_round_trips() =>
        Gen.UInt[0, (uint)TunnelTypes.All].Sample(bits =>
        {
            var command = new VirtioNetHashTunnelConfig((TunnelTypes)bits);
            Assert.Equal(command.EnabledTunnelTypes, VirtioNetHashTunnelConfig.Decode(command.ToArray(), AllSupported).EnabledTunnelTypes);
        });

    // "Inner header hash is disabled by VIRTIO_NET_CTRL_HASH_TUNNEL_SET with enabled_tunnel_types set to 0."
    [Fact]
    public void Zero_disables_inner_hashing()
    {
        RssConfiguration configuration = RssConfiguration.RoundRobin(4).WithTunnels(TunnelTypes.All);
        RssConfiguration off = VirtioNetHashTunnelConfig.Decode([0, 0, 0, 0], AllSupported).ApplyTo(configuration);
        Assert.Equal(TunnelTypes.None, off.TunnelTypes);
        Assert.Equal(configuration.IndirectionTable.ToArray(), off.IndirectionTable.ToArray());
    }

    [Fact]
    public void A_configuration_converts_to_its_command_and_back()
    {
        var ports = new UdpTunnelPorts(Vxlan: 8472);
        RssConfiguration configuration = RssConfiguration.RoundRobin(4).WithTunnels(TunnelTypes.Vxlan | TunnelTypes.Ipip, ports);
        byte[] bytes = VirtioNetHashTunnelConfig.FromRssConfiguration(configuration).ToArray();
        RssConfiguration back = VirtioNetHashTunnelConfig.Decode(bytes, AllSupported).ApplyTo(RssConfiguration.RoundRobin(4).WithTunnels(TunnelTypes.None, ports));
        Assert.Equal(configuration.TunnelTypes, back.TunnelTypes);
        Assert.Equal(ports, back.TunnelPorts);
    }

    // The command is exactly one le32.
    [Fact]
    public void Other_lengths_are_Truncated_or_TrailingBytes()
    {
        Assert.Equal(ConfigurationRule.Truncated, ErrorOf("100000", AllSupported));
        Assert.Equal(ConfigurationRule.Truncated, ErrorOf(string.Empty, AllSupported));
        Assert.Equal(ConfigurationRule.TrailingBytes, ErrorOf("1000000000", AllSupported));
    }

    // Bits 9 to 31 define no type; the error names them.
    [Fact]
    public void Undefined_bits_are_UnknownTunnelTypes()
    {
        Assert.Equal(ConfigurationRule.UnknownTunnelTypes, ErrorOf("00020000", AllSupported));
        var error = Assert.Throws<ConfigurationException>(() => VirtioNetHashTunnelConfig.Decode(Convert.FromHexString("10020000"), AllSupported));
        Assert.Contains("bit 9", error.Message, StringComparison.Ordinal);
    }

    // "If the device receives any bits in enabled_tunnel_types which are not set in supported_tunnel_types, it SHOULD
    // respond to the VIRTIO_NET_CTRL_HASH_TUNNEL_SET command with VIRTIO_NET_ERR."
    [Fact]
    public void Types_outside_supported_tunnel_types_are_UnsupportedTunnelTypes()
    {
        var vxlanOnly = AllSupported with { SupportedTunnelTypes = TunnelTypes.Vxlan };
        Assert.Equal(ConfigurationRule.UnsupportedTunnelTypes, ErrorOf("50000000", vxlanOnly));
        var error = Assert.Throws<ConfigurationException>(() => new VirtioNetHashTunnelConfig(TunnelTypes.Vxlan | TunnelTypes.Geneve).Validate(vxlanOnly));
        Assert.Contains("GENEVE (bit 6)", error.Message, StringComparison.Ordinal);
        new VirtioNetHashTunnelConfig(TunnelTypes.Vxlan).Validate(vxlanOnly);
    }

    // A device that does not offer the feature has no supported_tunnel_types: every type is unsupported there.
    [Fact]
    public void A_device_without_the_feature_supports_no_type()
    {
        var device = new VirtioNetDeviceConfig(VirtioNetFeatures.CtrlVq | VirtioNetFeatures.Rss, maxVirtqueuePairs: 4, rssMaxKeySize: 40, rssMaxIndirectionTableLength: 128, supportedHashTypes: HashTypes.All);
        Assert.Equal(ConfigurationRule.UnsupportedTunnelTypes, ErrorOf("01000000", device.ToLimits()));
        VirtioNetHashTunnelConfig.Decode([0, 0, 0, 0], device.ToLimits());
    }
}
