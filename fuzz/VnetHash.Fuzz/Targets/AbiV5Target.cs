using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// The v5 kernel ABI (<c>TUNSETVNETHASH</c>, <c>TUNGETVNETHASHCAP</c>): an argument either decodes or is refused with a
/// <see cref="ConfigurationException"/>; a decoded one encodes back to the same bytes and decodes again to the same
/// setting. Input: byte 0 picks the profile; the rest is the argument.
/// </summary>
internal sealed class AbiV5Target : IFuzzTarget
{
    public string Name => "abi-v5";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        HashProfile profile = (input[0] & 1) == 0 ? HashProfile.LinuxTun : HashProfile.VirtioSpec;
        ReadOnlySpan<byte> argument = input[1..];
        TunVnetHashSettingV5 setting;
        try
        {
            setting = TunVnetHashV5.Decode(argument, profile);
        }
        catch (ConfigurationException)
        {
            setting = null!;
        }

        if (setting is not null)
        {
            Check.That(setting.Rss is null || (setting.Rss.Types == setting.Types && setting.Rss.Profile == profile), "the RSS part disagrees with the setting");
            byte[] encoded = setting.Rss is RssConfiguration rss
                ? TunVnetHashV5.Encode(rss, setting.Report)
                : TunVnetHashV5.Encode(setting.Report ? TunVnetHashFlags.Report : TunVnetHashFlags.None, setting.Types);
            Check.SequenceEqual(argument, encoded, "the setting encoded again");
            TunVnetHashSettingV5 again = TunVnetHashV5.Decode(encoded, profile);
            Check.That(again.Report == setting.Report && again.Types == setting.Types && Configurations.Same(again.Rss, setting.Rss), "the setting decoded again");
        }

        TunVnetHashCapabilityV5 capability;
        try
        {
            capability = TunVnetHashV5.DecodeCapability(argument);
        }
        catch (ConfigurationException)
        {
            return;
        }

        var written = new byte[TunVnetHashV5.HashLength];
        Check.Equal(TunVnetHashV5.HashLength, TunVnetHashV5.WriteCapability(written, capability), "the capability's length");
        Check.SequenceEqual(argument, written, "the capability encoded again");
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        RssConfiguration rss = RssConfiguration.RoundRobin(4, HashTypes.AllNonEx, tableLength: 8, profile: HashProfile.LinuxTun);
        yield return ("rss-report", [0, .. TunVnetHashV5.Encode(rss, report: true)]);
        yield return ("rss-only-ipv6", [0, .. TunVnetHashV5.Encode(RssConfiguration.RoundRobin(2, HashTypes.TcpV6, tableLength: 1, profile: HashProfile.LinuxTun), report: false)]);
        yield return ("report-only", [1, .. TunVnetHashV5.Encode(TunVnetHashFlags.Report, HashTypes.All)]);
        yield return ("clear", [0, .. TunVnetHashV5.Encode(TunVnetHashFlags.None, HashTypes.None)]);
    }
}
