using CsCheck;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tests.Abi;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary><c>virtio_net_rss_config</c> (virtio spec §1.4 of the reference, spec 5.1.6.5.7.1): layout and every device rule.</summary>
public class VirtioNetRssConfigTests
{
    private const string MicrosoftKeyHex = "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

    private static readonly VirtioNetDeviceLimits FourPairs = new(QueuePairs: 4);

    // types 0x3F, mask 1, unclassified 3, table {1, 2}, max_tx_vq 4, key length 40, MS key.
    private const string SampleHex = "3f000000" + "0100" + "0300" + "0100" + "0200" + "0400" + "28" + MicrosoftKeyHex;

    private static string Hex(HashTypes types, int mask, int unclassified, string table, int maxTxVq, int keyLength, string key) =>
        Convert.ToHexStringLower([(byte)(uint)types, (byte)((uint)types >> 8), 0, 0, (byte)mask, (byte)(mask >> 8), (byte)unclassified, (byte)(unclassified >> 8)]) +
        table + Convert.ToHexStringLower([(byte)maxTxVq, (byte)(maxTxVq >> 8), (byte)keyLength]) + key;

    private static ConfigurationException Refused(string hex, VirtioNetDeviceLimits? limits = null)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.False(VirtioNetRssConfig.TryDecode(bytes, limits ?? FourPairs, out var config, out var error));
        Assert.Null(config);
        var exception = Assert.Throws<ConfigurationException>(() => VirtioNetRssConfig.Decode(bytes, limits ?? FourPairs));
        Assert.Equal(error, exception.Rule);
        return exception;
    }

    [Fact]
    public void Sample_decodes_field_by_field()
    {
        var config = VirtioNetRssConfig.Decode(Convert.FromHexString(SampleHex), FourPairs);
        Assert.Equal(HashTypes.AllNonEx, config.HashTypes);
        Assert.Equal(1, config.IndirectionTableMask);
        Assert.Equal(3, config.UnclassifiedQueue);
        Assert.Equal(new ushort[] { 1, 2 }, config.IndirectionTable.ToArray());
        Assert.Equal(4, config.MaxTxVq);
        Assert.Equal(ToeplitzKey.MicrosoftKey.ToArray(), config.HashKey.ToArray());
        Assert.Equal(SampleHex, Convert.ToHexStringLower(config.ToArray()));
    }

    [Fact]
    public void Configuration_converts_both_ways()
    {
        var configuration = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [1, 2], 3);
        var command = VirtioNetRssConfig.FromRssConfiguration(configuration, maxTxVq: 4);
        Assert.Equal(SampleHex, Convert.ToHexStringLower(command.ToArray()));
        RssConfigurationGen.AssertEqual(configuration, command.ToRssConfiguration());
    }

    [Fact]
    public void Every_command_round_trips()
    {
        var limits = new VirtioNetDeviceLimits(QueuePairs: VirtioNetDeviceLimits.MaxQueuePairs, MaxKeySize: 255, MaxIndirectionTableLength: 256);
        var queue = Gen.UShort[0, 0x7FFF];
        var configurations = Gen.Select(RssConfigurationGen.Types, Gen.Int[0, 8].SelectMany(log => queue.Array[1 << log]), queue)
            .SelectMany((types, table, unclassified) => Gen.Byte.Array[HashInput.RequiredKeyLength(types), 255]
                .Select(key => RssConfiguration.Create(types, key, table, unclassified)));
        Gen.Select(configurations, Gen.UShort[1, 0x8000])
            .Sample((configuration, maxTxVq) =>
            {
                var command = VirtioNetRssConfig.FromRssConfiguration(configuration, maxTxVq);
                byte[] bytes = command.ToArray();
                Assert.Equal(command.EncodedLength, bytes.Length);
                var decoded = VirtioNetRssConfig.Decode(bytes, limits);
                Assert.Equal(maxTxVq, decoded.MaxTxVq);
                RssConfigurationGen.AssertEqual(configuration, decoded.ToRssConfiguration());
            });
    }

    [Fact]
    public void Short_buffers_are_Truncated()
    {
        Assert.Equal(ConfigurationRule.Truncated, Refused("3f00000001000300").Rule);
        Assert.Equal(ConfigurationRule.Truncated, Refused(SampleHex[..22]).Rule);
        Assert.Equal("hash_key_data", Refused(SampleHex[..^2]).Field);
    }

    [Fact]
    public void Bytes_after_the_key_are_TrailingBytes() => Assert.Equal(ConfigurationRule.TrailingBytes, Refused(SampleHex + "00").Rule);

    [Fact]
    public void Mask_plus_one_must_be_a_power_of_two() =>
        Assert.Equal(ConfigurationRule.TableLengthNotPowerOfTwo, Refused(Hex(HashTypes.AllNonEx, 2, 0, "000000000000", 1, 40, MicrosoftKeyHex)).Rule);

    [Fact]
    public void Mask_must_be_below_the_device_table_length()
    {
        string table = string.Concat(Enumerable.Repeat("0000", 256));
        var limits = new VirtioNetDeviceLimits(QueuePairs: 4);
        Assert.Equal(ConfigurationRule.TableTooLong, Refused(Hex(HashTypes.AllNonEx, 255, 0, table, 1, 40, MicrosoftKeyHex), limits).Rule);
        Assert.True(VirtioNetRssConfig.TryDecode(Convert.FromHexString(Hex(HashTypes.AllNonEx, 255, 0, table, 1, 40, MicrosoftKeyHex)), limits with { MaxIndirectionTableLength = 256 }, out _, out _));
    }

    [Fact]
    public void Unknown_hash_type_bits_are_refused() =>
        Assert.Equal(ConfigurationRule.UnknownHashTypes, Refused(Hex((HashTypes)0x200, 0, 0, "0000", 1, 40, MicrosoftKeyHex)).Rule);

    [Fact]
    public void Types_the_device_does_not_support_are_refused() =>
        Assert.Equal(
            ConfigurationRule.UnsupportedHashTypes,
            Refused(Hex(HashTypes.IPv6Ex, 0, 0, "0000", 1, 40, MicrosoftKeyHex), FourPairs with { SupportedHashTypes = HashTypes.AllNonEx }).Rule);

    [Fact]
    public void Queue_ids_with_reserved_bit_15_are_refused()
    {
        Assert.Equal(ConfigurationRule.ReservedQueueBit, Refused(Hex(HashTypes.AllNonEx, 0, 0x8000, "0000", 1, 40, MicrosoftKeyHex)).Rule);
        Assert.Equal(ConfigurationRule.ReservedQueueBit, Refused(Hex(HashTypes.AllNonEx, 0, 0, "0080", 1, 40, MicrosoftKeyHex)).Rule);
    }

    [Fact]
    public void Unclassified_queue_must_exist()
    {
        var error = Refused(Hex(HashTypes.AllNonEx, 0, 4, "0000", 1, 40, MicrosoftKeyHex));
        Assert.Equal(ConfigurationRule.UnclassifiedQueueOutOfRange, error.Rule);
        Assert.Equal("unclassified_queue", error.Field);
    }

    [Fact]
    public void Table_entries_must_name_existing_queues()
    {
        var error = Refused(Hex(HashTypes.AllNonEx, 1, 0, "0300" + "0400", 1, 40, MicrosoftKeyHex));
        Assert.Equal(ConfigurationRule.TableEntryOutOfRange, error.Rule);
        Assert.Contains("indirection_table[1]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Max_tx_vq_must_be_from_1_to_the_queue_pairs(int maxTxVq) =>
        Assert.Equal(ConfigurationRule.MaxTxVqOutOfRange, Refused(Hex(HashTypes.AllNonEx, 0, 0, "0000", maxTxVq, 40, MicrosoftKeyHex)).Rule);

    [Fact]
    public void Key_longer_than_the_device_maximum_is_refused() =>
        Assert.Equal(ConfigurationRule.KeyTooLong, Refused(Hex(HashTypes.AllNonEx, 0, 0, "0000", 1, 41, MicrosoftKeyHex + "00")).Rule);

    [Fact]
    public void Empty_key_with_hash_types_is_refused_and_without_types_accepted()
    {
        Assert.Equal(ConfigurationRule.KeyMissing, Refused(Hex(HashTypes.IPv4, 0, 0, "0000", 1, 0, string.Empty)).Rule);
        var none = VirtioNetRssConfig.Decode(Convert.FromHexString(Hex(HashTypes.None, 0, 2, "0100", 1, 0, string.Empty)), FourPairs);
        var configuration = none.ToRssConfiguration();
        Assert.Equal(HashTypes.None, configuration.Types);
        Assert.Equal(2, configuration.UnclassifiedQueue);
    }

    [Fact]
    public void Key_too_short_for_the_types_cannot_become_a_configuration()
    {
        var command = VirtioNetRssConfig.Decode(Convert.FromHexString(Hex(HashTypes.TcpV6, 0, 0, "0000", 1, 12, MicrosoftKeyHex[..24])), FourPairs);
        Assert.Equal(ConfigurationRule.KeyTooShortForTypes, Assert.Throws<ConfigurationException>(() => command.ToRssConfiguration()).Rule);
    }

    [Fact]
    public void Constructor_refuses_a_table_that_is_not_a_power_of_two_and_a_key_past_255_bytes()
    {
        Assert.Equal(ConfigurationRule.TableLengthNotPowerOfTwo, Assert.Throws<ConfigurationException>(() => new VirtioNetRssConfig(HashTypes.None, new ushort[3], 0, 1, default)).Rule);
        Assert.Equal(ConfigurationRule.KeyTooLong, Assert.Throws<ConfigurationException>(() => new VirtioNetRssConfig(HashTypes.None, new ushort[1], 0, 1, new byte[256])).Rule);
    }

    [Fact]
    public void Validate_applies_the_device_limits_to_a_built_command()
    {
        var command = new VirtioNetRssConfig(HashTypes.AllNonEx, new ushort[] { 0, 7 }, 0, 1, ToeplitzKey.MicrosoftKey);
        command.Validate(new VirtioNetDeviceLimits(QueuePairs: 8));
        Assert.Equal(ConfigurationRule.TableEntryOutOfRange, Assert.Throws<ConfigurationException>(() => command.Validate(FourPairs)).Rule);
    }

    [Fact]
    public void Decoding_any_bytes_gives_a_command_or_a_named_error()
    {
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            bool ok = VirtioNetRssConfig.TryDecode(bytes, FourPairs, out var config, out var error);
            Assert.Equal(ok, config is not null);
            Assert.Equal(ok, error == ConfigurationRule.None);
        });
    }
}
