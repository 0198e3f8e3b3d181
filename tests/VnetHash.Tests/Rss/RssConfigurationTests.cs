using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Tests.Rss;

/// <summary>Validation rules of the RSS configuration; every error names the field and the rule.</summary>
public class RssConfigurationTests
{
    private static readonly byte[] Key = ToeplitzKey.MicrosoftKey.ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(65537)]
    [InlineData(131072)]
    public void Indirection_table_length_must_be_a_power_of_two_from_1_to_65536(int length)
    {
        var e = Assert.Throws<ConfigurationException>(() => RssConfiguration.Create(HashTypes.All, Key, new ushort[length]));
        Assert.Equal("indirection_table", e.Field);
        Assert.Equal(length > RssConfiguration.MaxIndirectionTableLength ? ConfigurationRule.TableTooLong : ConfigurationRule.TableLengthNotPowerOfTwo, e.Rule);
        Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(128)]
    [InlineData(65536)]
    public void Power_of_two_tables_are_accepted(int length) =>
        Assert.Equal(length - 1, RssConfiguration.Create(HashTypes.All, Key, new ushort[length]).IndirectionTableMask);

    [Fact]
    public void Unknown_hash_type_bits_are_rejected()
    {
        var e = Assert.Throws<ConfigurationException>(() => RssConfiguration.Create((HashTypes)0x200, Key, new ushort[1]));
        Assert.Equal("hash_types", e.Field);
        Assert.Equal(ConfigurationRule.UnknownHashTypes, e.Rule);
        Assert.Contains("0x200", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HashTypes.IPv4, 12)]
    [InlineData(HashTypes.TcpV4, 16)]
    [InlineData(HashTypes.IPv6, 36)]
    [InlineData(HashTypes.IPv6Ex, 36)]
    [InlineData(HashTypes.UdpV6, 40)]
    [InlineData(HashTypes.All, 40)]
    public void Key_must_cover_the_longest_enabled_input_plus_four_bytes(HashTypes types, int needed)
    {
        Assert.Equal(needed, HashInput.RequiredKeyLength(types));
        RssConfiguration.Create(types, Key.AsSpan(0, needed), new ushort[1]);
        var e = Assert.Throws<ConfigurationException>(() => RssConfiguration.Create(types, Key.AsSpan(0, needed - 1), new ushort[1]));
        Assert.Equal("hash_key", e.Field);
        Assert.Equal(ConfigurationRule.KeyTooShortForTypes, e.Rule);
        Assert.Contains($"at least {needed} bytes, got {needed - 1}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_longer_than_40_bytes_are_accepted()
    {
        byte[] key = [.. Key, .. Key];
        Assert.Equal(80, RssConfiguration.Create(HashTypes.All, key, new ushort[1]).Key.Length);
    }

    [Fact]
    public void Configuration_is_a_copy_not_a_view_of_the_callers_arrays()
    {
        ushort[] table = [1, 2];
        byte[] key = [.. Key];
        var config = RssConfiguration.Create(HashTypes.All, key, table);
        table[0] = 9;
        key[0] = 0;
        Assert.Equal(1, config.IndirectionTable[0]);
        Assert.Equal(0x6d, config.Key[0]);
    }

    [Fact]
    public void Round_robin_fills_the_table_as_ethtool_does()
    {
        var config = RssConfiguration.RoundRobin(3, tableLength: 8);
        Assert.Equal(new ushort[] { 0, 1, 2, 0, 1, 2, 0, 1 }, config.IndirectionTable.ToArray());
        Assert.Equal(0, config.UnclassifiedQueue);
        Assert.Equal(HashTypes.All, config.Types);
        Assert.True(config.Key.SequenceEqual(ToeplitzKey.MicrosoftKey));
    }

    [Fact]
    public void Queue_count_must_be_positive()
    {
        var e = Assert.Throws<ConfigurationException>(() => RssConfiguration.RoundRobin(0));
        Assert.Equal("queues", e.Field);
        Assert.Equal(ConfigurationRule.QueueCountOutOfRange, e.Rule);
    }

    [Fact]
    public void Unknown_profile_and_symmetric_mode_are_rejected()
    {
        var profile = Assert.Throws<ConfigurationException>(() => RssConfiguration.Create(HashTypes.All, Key, new ushort[1], profile: (HashProfile)7));
        Assert.Equal(("profile", ConfigurationRule.UnknownProfile), (profile.Field, profile.Rule));
        var symmetric = Assert.Throws<ConfigurationException>(() => RssConfiguration.Create(HashTypes.All, Key, new ushort[1], symmetric: (SymmetricMode)7));
        Assert.Equal(("symmetric", ConfigurationRule.UnknownSymmetricMode), (symmetric.Field, symmetric.Rule));
    }
}
