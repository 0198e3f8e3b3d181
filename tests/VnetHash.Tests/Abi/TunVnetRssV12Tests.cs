using CsCheck;
using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Tests.Abi;

/// <summary>The v12 <c>TUNSETVNETRSS</c> / <c>TUNSETVNETREPORTINGRSS</c> argument and the u32 type arguments (kernel-series §2.2, §2.5, §8.1).</summary>
public class TunVnetRssV12Tests
{
    private const string MicrosoftKeyHex = "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

    // The v12 selftest: hash_types 0x3F, mask 1, unclassified 5, table {3, 4}, the 40-byte MS key.
    private const string SelftestHex = "3f000000" + "0100" + "0500" + "0300" + "0400" + MicrosoftKeyHex;

    private static RssConfiguration Selftest() =>
        RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [3, 4], 5, HashProfile.LinuxTun);

    private static ConfigurationRule ErrorOf(string hex) =>
        Assert.Throws<ConfigurationException>(() => TunVnetRssV12.Decode(Convert.FromHexString(hex))).Rule;

    [Fact]
    public void Selftest_configuration_encodes_to_the_documented_bytes()
    {
        Assert.Equal(SelftestHex, Convert.ToHexStringLower(TunVnetRssV12.Encode(Selftest())));
        Assert.Equal(8 + 4 + 40, TunVnetRssV12.GetEncodedLength(Selftest()));
    }

    [Fact]
    public void Selftest_bytes_decode_to_the_selftest_configuration()
    {
        RssConfigurationGen.AssertEqual(Selftest(), TunVnetRssV12.Decode(Convert.FromHexString(SelftestHex)));
    }

    [Fact]
    public void Decode_uses_the_requested_profile()
    {
        Assert.Equal(HashProfile.VirtioSpec, TunVnetRssV12.Decode(Convert.FromHexString(SelftestHex), HashProfile.VirtioSpec).Profile);
    }

    [Fact]
    public void Ipv6_only_types_are_encoded_unchanged_and_flagged_by_the_key_quirk()
    {
        // kernel-series §3.7: 0x38 makes the kernel read 4 key bytes; the encoder still sends 40 and keeps the types.
        var configuration = RssConfiguration.Create(HashTypes.IPv6 | HashTypes.TcpV6 | HashTypes.UdpV6, ToeplitzKey.MicrosoftKey, [0], 0, HashProfile.LinuxTun);
        byte[] bytes = TunVnetRssV12.Encode(configuration);
        Assert.Equal("38000000", Convert.ToHexStringLower(bytes.AsSpan(0, 4)));
        Assert.Equal(MicrosoftKeyHex, Convert.ToHexStringLower(bytes.AsSpan(10)));
        Assert.False(TunVnetHashKey.KernelHashesCorrectly(configuration.Types));
    }

    [Fact]
    public void Decode_refuses_a_buffer_shorter_than_tun_vnet_rss() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf("3f0000000100"));

    [Fact]
    public void Decode_refuses_unknown_hash_type_bits() => Assert.Equal(ConfigurationRule.UnknownHashTypes, ErrorOf("00040000" + "0000" + "0000" + "0000" + MicrosoftKeyHex));

    [Fact]
    public void Decode_refuses_a_table_length_that_is_not_a_power_of_two() =>
        Assert.Equal(ConfigurationRule.TableLengthNotPowerOfTwo, ErrorOf("3f000000" + "0500" + "0000" + "000000000000000000000000" + MicrosoftKeyHex));

    [Fact]
    public void Decode_refuses_a_buffer_cut_inside_the_table() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf("3f000000" + "0100" + "0500" + "03"));

    [Fact]
    public void Decode_refuses_a_key_region_shorter_than_40_bytes() => Assert.Equal(ConfigurationRule.Truncated, ErrorOf("3f000000" + "0100" + "0500" + "0300" + "0400" + MicrosoftKeyHex[..8]));

    [Fact]
    public void Decode_refuses_bytes_after_the_key_region() => Assert.Equal(ConfigurationRule.TrailingBytes, ErrorOf(SelftestHex + "0000"));

    [Fact]
    public void Every_configuration_round_trips()
    {
        RssConfigurationGen.With40ByteKey(HashProfile.LinuxTun).Sample(configuration =>
            RssConfigurationGen.AssertEqual(configuration, TunVnetRssV12.Decode(TunVnetRssV12.Encode(configuration))));
    }

    [Fact]
    public void Any_key_length_round_trips_to_a_40_byte_key_with_the_same_first_bytes()
    {
        RssConfigurationGen.AnyKey(HashProfile.LinuxTun).Sample(configuration =>
        {
            var decoded = TunVnetRssV12.Decode(TunVnetRssV12.Encode(configuration));
            int kept = Math.Min(40, configuration.Key.Length);
            Assert.Equal(configuration.Key[..kept].ToArray(), decoded.Key[..kept].ToArray());
            Assert.All(decoded.Key[kept..].ToArray(), b => Assert.Equal(0, b));
        });
    }

    [Fact]
    public void Hash_types_argument_is_a_little_endian_u32()
    {
        var bytes = new byte[4];
        TunVnetHashTypesV12.Write(bytes, HashTypes.AllNonEx);
        Assert.Equal("3f000000", Convert.ToHexStringLower(bytes));
        Assert.Equal(HashTypes.AllNonEx, TunVnetHashTypesV12.Decode(bytes));
    }

    [Fact]
    public void Hash_types_argument_round_trips()
    {
        RssConfigurationGen.Types.Sample(types =>
        {
            var bytes = new byte[TunVnetHashTypesV12.Length];
            TunVnetHashTypesV12.Write(bytes, types);
            Assert.Equal(types, TunVnetHashTypesV12.Decode(bytes));
        });
    }

    [Theory]
    [InlineData("3f0000", ConfigurationRule.Truncated)]
    [InlineData("3f00000000", ConfigurationRule.TrailingBytes)]
    [InlineData("00020000", ConfigurationRule.UnknownHashTypes)]
    public void Hash_types_argument_decode_is_strict(string hex, ConfigurationRule expected)
    {
        Assert.Equal(expected, Assert.Throws<ConfigurationException>(() => TunVnetHashTypesV12.Decode(Convert.FromHexString(hex))).Rule);
    }

    [Fact]
    public void Decoding_any_bytes_gives_a_configuration_that_encodes_back_to_them_or_a_named_error()
    {
        RssConfigurationGen.BytesNear(Convert.FromHexString(SelftestHex)).Sample(bytes =>
        {
            RssConfiguration configuration;
            try
            {
                configuration = TunVnetRssV12.Decode(bytes);
            }
            catch (ConfigurationException e)
            {
                Assert.NotEqual(ConfigurationRule.None, e.Rule);
                return;
            }

            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(TunVnetRssV12.Encode(configuration)));
        });
    }
}
