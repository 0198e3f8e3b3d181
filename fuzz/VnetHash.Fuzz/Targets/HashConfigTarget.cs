using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>virtio_net_hash_config</c> (<c>VIRTIO_NET_CTRL_MQ_HASH_CONFIG</c>) against any device limits: one verdict from
/// both decoders, a decoded command meets the limits, encodes back to the same bytes and becomes a configuration with
/// its types and key or is refused for a key too short for its types.
/// Input: 4 bytes of device limits (<see cref="DeviceLimits"/>), then the command.
/// </summary>
internal sealed class HashConfigTarget : IFuzzTarget
{
    public string Name => "hash-config";

    public void Run(ReadOnlySpan<byte> input)
    {
        VirtioNetDeviceLimits limits = DeviceLimits.Read(input, out ReadOnlySpan<byte> command);
        byte[] bytes = command.ToArray();
        bool accepted = VirtioNetHashConfig.TryDecode(bytes, limits, out _, out ConfigurationRule rule);
        if (Configurations.OneVerdict(() => VirtioNetHashConfig.Decode(bytes, limits), accepted, rule) is not VirtioNetHashConfig config)
        {
            return;
        }

        config.Validate(limits);
        Check.Equal(command.Length, config.EncodedLength, "the encoded length");
        Check.SequenceEqual(command, config.ToArray(), "the command encoded again");
        Check.That(config.HashKey.Length <= limits.MaxKeySize && (config.HashTypes & ~limits.SupportedHashTypes) == 0, "a decoded command beyond the device's limits");

        RssConfiguration configuration;
        try
        {
            configuration = config.ToRssConfiguration();
        }
        catch (ConfigurationException e)
        {
            Check.Equal(ConfigurationRule.KeyTooShortForTypes, e.Rule, "the refusal of a decoded command");
            return;
        }

        Check.That(configuration.Types == config.HashTypes && configuration.IndirectionTable.Length == 1, "the configuration differs from the command");
        Check.That(config.HashKey.Length <= ToeplitzKey.WindowBytes || configuration.Key.SequenceEqual(config.HashKey), "the configuration's key differs from the command's");
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("all-types", [.. DeviceLimits.Prefix(1), .. new VirtioNetHashConfig(HashTypes.All, ToeplitzKey.MicrosoftKey).ToArray()]);
        yield return ("ipv4-short-key", [.. DeviceLimits.Prefix(1), .. new VirtioNetHashConfig(HashTypes.IPv4, ToeplitzKey.MicrosoftKey[..12]).ToArray()]);
        yield return ("none", [.. DeviceLimits.Prefix(1), .. new VirtioNetHashConfig(HashTypes.None, []).ToArray()]);
    }
}
