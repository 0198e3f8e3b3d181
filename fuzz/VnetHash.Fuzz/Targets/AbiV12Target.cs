using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// The v12 kernel ABI (<c>TUNSETVNETRSS</c>, <c>TUNSETVNETREPORTINGRSS</c>, the u32 hash types): an argument either
/// decodes or is refused with a <see cref="ConfigurationException"/>; a decoded one encodes back to the same bytes and
/// decodes again to the same configuration. Input: byte 0 picks the profile; the rest is the argument.
/// </summary>
internal sealed class AbiV12Target : IFuzzTarget
{
    public string Name => "abi-v12";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        HashProfile profile = (input[0] & 1) == 0 ? HashProfile.LinuxTun : HashProfile.VirtioSpec;
        ReadOnlySpan<byte> argument = input[1..];
        RssConfiguration? configuration;
        try
        {
            configuration = TunVnetRssV12.Decode(argument, profile);
        }
        catch (ConfigurationException)
        {
            configuration = null;
        }

        if (configuration is not null)
        {
            Check.Equal(profile, configuration.Profile, "the profile");
            byte[] encoded = TunVnetRssV12.Encode(configuration);
            Check.Equal(TunVnetRssV12.GetEncodedLength(configuration), encoded.Length, "the encoded length");
            Check.SequenceEqual(argument, encoded, "the configuration encoded again");
            Check.That(Configurations.Same(TunVnetRssV12.Decode(encoded, profile), configuration), "the configuration decoded again");
        }

        HashTypes types;
        try
        {
            types = TunVnetHashTypesV12.Decode(argument);
        }
        catch (ConfigurationException)
        {
            return;
        }

        var written = new byte[TunVnetHashTypesV12.Length];
        TunVnetHashTypesV12.Write(written, types);
        Check.SequenceEqual(argument, written, "the hash types encoded again");
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("rss-128", [0, .. TunVnetRssV12.Encode(RssConfiguration.RoundRobin(8, HashTypes.AllNonEx, profile: HashProfile.LinuxTun))]);
        yield return ("rss-1-ipv6", [1, .. TunVnetRssV12.Encode(RssConfiguration.RoundRobin(1, HashTypes.IPv6 | HashTypes.UdpV6, tableLength: 1))]);
        yield return ("types", [0, 0x3F, 0, 0, 0]);
    }
}
