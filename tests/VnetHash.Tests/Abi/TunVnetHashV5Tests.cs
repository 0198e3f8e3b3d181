using CsCheck;
using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Tests.Abi;

/// <summary>The v5 <c>TUNSETVNETHASH</c> / <c>TUNGETVNETHASHCAP</c> arguments (kernel-series §2.2, §2.5, §8.2).</summary>
public class TunVnetHashV5Tests
{
    private const string MicrosoftKeyHex = "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

    // The selftest configuration: REPORT|RSS, types 0x3F, mask 1, unclassified 5, table {3, 4}, MS key.
    private const string SelftestHex = "0300" + "0000" + "3f000000" + "0100" + "0500" + "0300" + "0400" + MicrosoftKeyHex;

    private static RssConfiguration Selftest() =>
        RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [3, 4], 5, HashProfile.LinuxTun);

    private static ConfigurationRule ErrorOf(string hex) =>
        Assert.Throws<ConfigurationException>(() => TunVnetHashV5.Decode(Convert.FromHexString(hex))).Rule;

    [Fact]
    public void Selftest_configuration_encodes_to_the_documented_bytes()
    {
        Assert.Equal(SelftestHex, Convert.ToHexStringLower(TunVnetHashV5.Encode(Selftest(), report: true)));
        Assert.Equal(12 + 4 + 40, TunVnetHashV5.GetEncodedLength(Selftest()));
    }

    [Fact]
    public void Selftest_bytes_decode_to_the_selftest_configuration()
    {
        var setting = TunVnetHashV5.Decode(Convert.FromHexString(SelftestHex));
        Assert.True(setting.Report);
        Assert.Equal(HashTypes.AllNonEx, setting.Types);
        Assert.NotNull(setting.Rss);
        RssConfigurationGen.AssertEqual(Selftest(), setting.Rss);
    }

    [Fact]
    public void Rss_without_report_clears_the_report_flag()
    {
        Assert.StartsWith("0200", Convert.ToHexStringLower(TunVnetHashV5.Encode(Selftest(), report: false)), StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_without_rss_is_the_8_byte_structure()
    {
        Assert.Equal("0100" + "0000" + "09000000", Convert.ToHexStringLower(TunVnetHashV5.Encode(TunVnetHashFlags.Report, HashTypes.IPv4 | HashTypes.IPv6)));
        Assert.Equal("0000" + "0000" + "00000000", Convert.ToHexStringLower(TunVnetHashV5.Encode(TunVnetHashFlags.None, HashTypes.None)));
        var setting = TunVnetHashV5.Decode(Convert.FromHexString("0100000009000000"));
        Assert.Equal(new TunVnetHashSettingV5(true, HashTypes.IPv4 | HashTypes.IPv6, null), setting);
    }

    [Fact]
    public void Setting_without_a_configuration_cannot_ask_for_rss()
    {
        Assert.Throws<ArgumentException>(() => TunVnetHashV5.Encode(TunVnetHashFlags.Rss, HashTypes.AllNonEx));
        Assert.Throws<ArgumentException>(() => TunVnetHashV5.Encode((TunVnetHashFlags)4, HashTypes.AllNonEx));
    }

    [Fact]
    public void Capability_of_the_series_kernel_has_the_documented_bytes()
    {
        // kernel-series §2.5: flags REPORT|RSS, pad 0, types 0x3F.
        var bytes = new byte[8];
        TunVnetHashV5.WriteCapability(bytes, new TunVnetHashCapabilityV5(TunVnetHashFlags.Report | TunVnetHashFlags.Rss, HashTypes.AllNonEx));
        Assert.Equal("030000003f000000", Convert.ToHexStringLower(bytes));
        Assert.Equal(new TunVnetHashCapabilityV5(TunVnetHashFlags.Report | TunVnetHashFlags.Rss, HashTypes.AllNonEx), TunVnetHashV5.DecodeCapability(bytes));
    }

    [Theory]
    [InlineData("030000003f0000", ConfigurationRule.Truncated)]
    [InlineData("030000003f00000000", ConfigurationRule.TrailingBytes)]
    [InlineData("070000003f000000", ConfigurationRule.UnknownFlags)]
    [InlineData("030001003f000000", ConfigurationRule.ReservedNotZero)]
    [InlineData("0300000000040000", ConfigurationRule.UnknownHashTypes)]
    public void Capability_decode_is_strict(string hex, ConfigurationRule expected)
    {
        Assert.Equal(expected, Assert.Throws<ConfigurationException>(() => TunVnetHashV5.DecodeCapability(Convert.FromHexString(hex))).Rule);
    }

    [Fact]
    public void Key_region_is_always_40_bytes_padded_or_cut_without_changing_a_hash()
    {
        byte[] longKey = [.. ToeplitzKey.MicrosoftKey, .. new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }];
        var configuration = RssConfiguration.Create(HashTypes.AllNonEx, longKey, [0], 0, HashProfile.LinuxTun);
        var decoded = TunVnetHashV5.Decode(TunVnetHashV5.Encode(configuration, report: true)).Rss!;
        Assert.Equal(ToeplitzKey.MicrosoftKey.ToArray(), decoded.Key.ToArray());

        var shortKey = RssConfiguration.Create(HashTypes.IPv4, ToeplitzKey.MicrosoftKey[..12], [0], 0, HashProfile.LinuxTun);
        var padded = TunVnetHashV5.Decode(TunVnetHashV5.Encode(shortKey, report: true)).Rss!;
        Assert.Equal([.. ToeplitzKey.MicrosoftKey[..12], .. new byte[28]], padded.Key.ToArray());

        byte[] input = Convert.FromHexString("420995bb a18e6450".Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal(shortKey.PreparedKey.Hash(input), padded.PreparedKey.Hash(input));
    }

    [Fact]
    public void Decode_refuses_a_buffer_shorter_than_tun_vnet_hash() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf("03000000"));

    [Fact]
    public void Decode_refuses_unknown_flag_bits() => Assert.Equal(ConfigurationRule.UnknownFlags, ErrorOf("070000003f000000"));

    [Fact]
    public void Decode_refuses_a_non_zero_pad() => Assert.Equal(ConfigurationRule.ReservedNotZero, ErrorOf("010001003f000000"));

    [Fact]
    public void Decode_refuses_unknown_hash_type_bits() => Assert.Equal(ConfigurationRule.UnknownHashTypes, ErrorOf("0100000000020000"));

    [Fact]
    public void Decode_refuses_trailing_bytes_without_rss() => Assert.Equal(ConfigurationRule.TrailingBytes, ErrorOf("010000003f00000000"));

    [Fact]
    public void Decode_refuses_an_rss_setting_without_the_rss_part() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf("030000003f000000" + "0100"));

    [Fact]
    public void Decode_refuses_a_table_length_that_is_not_a_power_of_two() =>
        Assert.Equal(ConfigurationRule.TableLengthNotPowerOfTwo, ErrorOf("030000003f000000" + "0200" + "0000" + "000000000000" + MicrosoftKeyHex));

    [Fact]
    public void Decode_refuses_a_buffer_cut_inside_the_table() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf("030000003f000000" + "0300" + "0000" + "000000000000"));

    [Fact]
    public void Decode_refuses_a_key_region_shorter_than_40_bytes() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf(SelftestHex[..^2]));

    [Fact]
    public void Decode_refuses_bytes_after_the_key_region() => Assert.Equal(ConfigurationRule.TrailingBytes, ErrorOf(SelftestHex + "00"));

    [Fact]
    public void Decode_error_names_the_field()
    {
        var error = Assert.Throws<ConfigurationException>(() => TunVnetHashV5.Decode(Convert.FromHexString(SelftestHex[..^2])));
        Assert.Equal("key", error.Field);
    }

    [Fact]
    public void Every_rss_setting_round_trips()
    {
        Gen.Select(RssConfigurationGen.With40ByteKey(HashProfile.LinuxTun), Gen.Bool).Sample((configuration, report) =>
        {
            var setting = TunVnetHashV5.Decode(TunVnetHashV5.Encode(configuration, report));
            Assert.Equal(report, setting.Report);
            Assert.Equal(configuration.Types, setting.Types);
            RssConfigurationGen.AssertEqual(configuration, setting.Rss!);
        });
    }

    [Fact]
    public void Every_setting_without_rss_round_trips()
    {
        Gen.Select(RssConfigurationGen.Types, Gen.Bool).Sample((types, report) =>
        {
            var flags = report ? TunVnetHashFlags.Report : TunVnetHashFlags.None;
            Assert.Equal(new TunVnetHashSettingV5(report, types, null), TunVnetHashV5.Decode(TunVnetHashV5.Encode(flags, types)));
        });
    }

    [Fact]
    public void Every_capability_round_trips()
    {
        Gen.Select(Gen.Int[0, 3], RssConfigurationGen.Types).Sample((flags, types) =>
        {
            var capability = new TunVnetHashCapabilityV5((TunVnetHashFlags)flags, types);
            var bytes = new byte[TunVnetHashV5.HashLength];
            TunVnetHashV5.WriteCapability(bytes, capability);
            Assert.Equal(capability, TunVnetHashV5.DecodeCapability(bytes));
        });
    }

    [Fact]
    public void Decoding_any_bytes_gives_a_setting_that_encodes_back_to_them_or_a_named_error()
    {
        RssConfigurationGen.BytesNear(Convert.FromHexString(SelftestHex)).Sample(bytes =>
        {
            TunVnetHashSettingV5 setting;
            try
            {
                setting = TunVnetHashV5.Decode(bytes);
            }
            catch (ConfigurationException e)
            {
                Assert.NotEqual(ConfigurationRule.None, e.Rule);
                return;
            }

            byte[] again = setting.Rss is null
                ? TunVnetHashV5.Encode(setting.Report ? TunVnetHashFlags.Report : TunVnetHashFlags.None, setting.Types)
                : TunVnetHashV5.Encode(setting.Rss, setting.Report);
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(again));
        });
    }
}
