using CsCheck;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary><c>virtio_net_hash_config</c> (virtio spec §1.4 of the reference, spec 5.1.6.5.6.4): layout and rules.</summary>
public class VirtioNetHashConfigTests
{
    private const string MicrosoftKeyHex = "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

    private const string SampleHex = "3f000000" + "0000000000000000" + "28" + MicrosoftKeyHex;

    private static readonly VirtioNetDeviceLimits OnePair = new(QueuePairs: 1);

    private static ConfigurationRule ErrorOf(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.False(VirtioNetHashConfig.TryDecode(bytes, OnePair, out var config, out var error));
        Assert.Null(config);
        Assert.Equal(error, Assert.Throws<ConfigurationException>(() => VirtioNetHashConfig.Decode(bytes, OnePair)).Rule);
        return error;
    }

    [Fact]
    public void Sample_decodes_and_encodes_to_the_same_bytes()
    {
        var config = VirtioNetHashConfig.Decode(Convert.FromHexString(SampleHex), OnePair);
        Assert.Equal(HashTypes.AllNonEx, config.HashTypes);
        Assert.Equal(ToeplitzKey.MicrosoftKey.ToArray(), config.HashKey.ToArray());
        Assert.Equal(SampleHex, Convert.ToHexStringLower(config.ToArray()));
    }

    [Fact]
    public void Layout_lines_up_with_rss_config_for_a_one_entry_table()
    {
        // virtio spec: the reserved words make hash_key_length land where rss_config has it for N = 1.
        var rss = new VirtioNetRssConfig(HashTypes.AllNonEx, new ushort[1], 0, 0, ToeplitzKey.MicrosoftKey).ToArray();
        var hash = new VirtioNetHashConfig(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey).ToArray();
        Assert.Equal(rss.Length, hash.Length);
        Assert.Equal(rss[12..], hash[12..]);
    }

    [Fact]
    public void Configuration_converts_both_ways_with_a_one_entry_table()
    {
        var configuration = RssConfiguration.Create(HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, [0, 1, 2, 3], 2);
        var command = VirtioNetHashConfig.FromRssConfiguration(configuration);
        Assert.Equal(SampleHex, Convert.ToHexStringLower(command.ToArray()));
        var back = command.ToRssConfiguration(HashProfile.LinuxTun);
        Assert.Equal(configuration.Types, back.Types);
        Assert.Equal(configuration.Key.ToArray(), back.Key.ToArray());
        Assert.Equal(new ushort[] { 0 }, back.IndirectionTable.ToArray());
        Assert.Equal(HashProfile.LinuxTun, back.Profile);
    }

    [Fact]
    public void Every_command_round_trips()
    {
        var limits = OnePair with { MaxKeySize = 255 };
        Gen.Select(Gen.UInt[0, (uint)HashTypes.All], Gen.Byte.Array[1, 255]).Sample((types, key) =>
        {
            var command = new VirtioNetHashConfig((HashTypes)types, key);
            var decoded = VirtioNetHashConfig.Decode(command.ToArray(), limits);
            Assert.Equal(command.HashTypes, decoded.HashTypes);
            Assert.Equal(key, decoded.HashKey.ToArray());
        });
    }

    [Fact]
    public void Short_buffers_are_Truncated()
    {
        Assert.Equal(ConfigurationRule.Truncated, ErrorOf(SampleHex[..24]));
        Assert.Equal(ConfigurationRule.Truncated, ErrorOf(SampleHex[..^2]));
    }

    [Fact]
    public void Bytes_after_the_key_are_TrailingBytes() => Assert.Equal(ConfigurationRule.TrailingBytes, ErrorOf(SampleHex + "00"));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Reserved_words_must_be_zero(int word)
    {
        char[] hex = SampleHex.ToCharArray();
        hex[8 + (4 * word)] = '1';
        Assert.Equal(ConfigurationRule.ReservedNotZero, ErrorOf(new string(hex)));
    }

    [Fact]
    public void Unknown_and_unsupported_types_are_refused()
    {
        Assert.Equal(ConfigurationRule.UnknownHashTypes, ErrorOf("00020000" + "0000000000000000" + "28" + MicrosoftKeyHex));
        byte[] ex = Convert.FromHexString("40000000" + "0000000000000000" + "28" + MicrosoftKeyHex);
        Assert.False(VirtioNetHashConfig.TryDecode(ex, OnePair with { SupportedHashTypes = HashTypes.AllNonEx }, out _, out var error));
        Assert.Equal(ConfigurationRule.UnsupportedHashTypes, error);
    }

    [Fact]
    public void Key_longer_than_the_device_maximum_is_refused() =>
        Assert.Equal(ConfigurationRule.KeyTooLong, ErrorOf("3f000000" + "0000000000000000" + "29" + MicrosoftKeyHex + "00"));

    [Fact]
    public void Empty_key_with_hash_types_is_refused() =>
        Assert.Equal(ConfigurationRule.KeyMissing, ErrorOf("01000000" + "0000000000000000" + "00"));

    [Fact]
    public void Key_too_short_for_the_types_cannot_become_a_configuration()
    {
        var command = new VirtioNetHashConfig(HashTypes.IPv6, ToeplitzKey.MicrosoftKey[..20]);
        command.Validate(OnePair);
        Assert.Equal(ConfigurationRule.KeyTooShortForTypes, Assert.Throws<ConfigurationException>(() => command.ToRssConfiguration()).Rule);
    }

    [Fact]
    public void Decoding_any_bytes_gives_a_command_or_a_named_error()
    {
        Gen.Byte.Array[0, 60].Sample(bytes =>
        {
            bool ok = VirtioNetHashConfig.TryDecode(bytes, OnePair, out var config, out var error);
            Assert.Equal(ok, config is not null);
            Assert.Equal(ok, error == ConfigurationRule.None);
        });
    }
}
