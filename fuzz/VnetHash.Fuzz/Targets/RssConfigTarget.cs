using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>virtio_net_rss_config</c> (<c>VIRTIO_NET_CTRL_MQ_RSS_CONFIG</c>) against any device limits: the throwing and
/// trying decoders give one verdict and one rule; a decoded command meets the limits, encodes back to the same bytes,
/// and becomes a configuration with the same fields or is refused for a key too short for its types.
/// Input: 4 bytes of device limits (<see cref="DeviceLimits"/>), then the command.
/// </summary>
internal sealed class RssConfigTarget : IFuzzTarget
{
    public string Name => "rss-config";

    public void Run(ReadOnlySpan<byte> input)
    {
        VirtioNetDeviceLimits limits = DeviceLimits.Read(input, out ReadOnlySpan<byte> command);
        byte[] bytes = command.ToArray();
        bool accepted = VirtioNetRssConfig.TryDecode(bytes, limits, out _, out ConfigurationRule rule);
        if (Configurations.OneVerdict(() => VirtioNetRssConfig.Decode(bytes, limits), accepted, rule) is not VirtioNetRssConfig config)
        {
            return;
        }

        config.Validate(limits);
        Check.Equal(command.Length, config.EncodedLength, "the encoded length");
        Check.SequenceEqual(command, config.ToArray(), "the command encoded again");
        Check.That(config.IndirectionTable.Length <= limits.MaxIndirectionTableLength && config.HashKey.Length <= limits.MaxKeySize
            && (config.HashTypes & ~limits.SupportedHashTypes) == 0 && config.UnclassifiedQueue < limits.QueuePairs
            && config.MaxTxVq >= 1 && config.MaxTxVq <= limits.QueuePairs, "a decoded command beyond the device's limits");
        foreach (ushort entry in config.IndirectionTable)
        {
            Check.That(entry < limits.QueuePairs, $"table entry {entry} beyond {limits.QueuePairs} queue pairs");
        }

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

        Check.That(configuration.Types == config.HashTypes && configuration.UnclassifiedQueue == config.UnclassifiedQueue
            && configuration.IndirectionTable.SequenceEqual(config.IndirectionTable), "the configuration differs from the command");
        Check.That(config.HashKey.Length <= ToeplitzKey.WindowBytes || configuration.Key.SequenceEqual(config.HashKey), "the configuration's key differs from the command's");
        Check.That(Configurations.Same(configuration, VirtioNetRssConfig.FromRssConfiguration(configuration, config.MaxTxVq).ToRssConfiguration()), "the configuration through a command again");
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        VirtioNetRssConfig Command(int queues, HashTypes types, int tableLength, int keyLength) =>
            VirtioNetRssConfig.FromRssConfiguration(RssConfiguration.RoundRobin(queues, types, ToeplitzKey.MicrosoftKey[..keyLength], tableLength), (ushort)queues);
        yield return ("four-queues", [.. DeviceLimits.Prefix(4), .. Command(4, HashTypes.All, 128, 40).ToArray()]);
        yield return ("one-entry-ipv4", [.. DeviceLimits.Prefix(1), .. Command(1, HashTypes.IPv4, 1, 12).ToArray()]);
        yield return ("no-types", [.. DeviceLimits.Prefix(2), .. new VirtioNetRssConfig(HashTypes.None, [0, 1], 1, 2, []).ToArray()]);
    }
}
