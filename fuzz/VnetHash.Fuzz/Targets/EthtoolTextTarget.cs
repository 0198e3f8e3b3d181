using System.Text;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>--ethtool FILE</c>: any text is what <c>ethtool -x</c> printed or a <see cref="FormatException"/> (or, for a
/// device that said it has no RSS, a <see cref="ConfigurationException"/>). What it reads becomes a configuration
/// holding exactly that table and key, or a <see cref="ConfigurationException"/> whose rule is one of the reasons a
/// NIC's settings cannot be reproduced.
/// </summary>
internal sealed class EthtoolTextTarget : IFuzzTarget
{
    private static readonly ConfigurationRule[] Refusals =
    [
        ConfigurationRule.NoRss, ConfigurationRule.KeyMissing, ConfigurationRule.UnsupportedHashFunction,
        ConfigurationRule.UnsupportedInputTransform, ConfigurationRule.TableLengthNotPowerOfTwo, ConfigurationRule.TableTooLong,
        ConfigurationRule.UnsupportedFlowFields, ConfigurationRule.KeyTooShortForTypes, ConfigurationRule.KeyTooLong,
        ConfigurationRule.UnclassifiedQueueOutOfRange,
    ];

    public string Name => "ethtool-text";

    public void Run(ReadOnlySpan<byte> input)
    {
        EthtoolRss rss;
        try
        {
            rss = EthtoolRssText.Parse(Encoding.UTF8.GetString(input));
        }
        catch (FormatException)
        {
            return;
        }
        catch (ConfigurationException e)
        {
            Check.That(e.Rule is ConfigurationRule.NoRss or ConfigurationRule.UnsupportedFlowFields, $"the text refused with rule {e.Rule}: {e.Message}");
            return;
        }

        Check.That(rss.QueueCount > 0, $"a queue count of {rss.QueueCount}");
        RssConfiguration configuration;
        try
        {
            configuration = rss.ToConfiguration();
        }
        catch (ConfigurationException e)
        {
            Check.That(Refusals.Contains(e.Rule), $"settings refused with rule {e.Rule}: {e.Message}");
            return;
        }

        Check.SequenceEqual<ushort>([.. rss.IndirectionTable], configuration.IndirectionTable, "the configuration's table");
        Check.SequenceEqual<byte>([.. rss.Key], configuration.Key, "the configuration's key");
        Check.Equal(rss.InputTransform == EthtoolInputTransform.SymmetricXor, configuration.Symmetric == SymmetricMode.Xor, "symmetric-xor and the symmetric mode");
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        string table = string.Concat(Enumerable.Range(0, 16).Select(row =>
            $"{8 * row,5}: {string.Concat(Enumerable.Range(0, 8).Select(i => $"{(8 * row + i) % 4,6}"))}\n"));
        string key = string.Join(':', ToeplitzKey.MicrosoftKey.ToArray().Select(b => b.ToString("x2")));
        string whole = $"RX flow hash indirection table for eth0 with 4 RX ring(s):\n{table}RSS hash key:\n{key}\n"
            + "RSS hash function:\n    toeplitz: on\n    xor: off\n    crc32: off\n"
            + "RSS input transformation:\n    symmetric-xor: off\n";
        yield return ("toeplitz", Encoding.UTF8.GetBytes(whole));
        yield return ("symmetric-xor", Encoding.UTF8.GetBytes(whole.Replace("symmetric-xor: off", "symmetric-xor: on")));
        yield return ("crc32", Encoding.UTF8.GetBytes(whole.Replace("toeplitz: on", "toeplitz: off").Replace("crc32: off", "crc32: on")));
        yield return ("flow-hash", Encoding.UTF8.GetBytes(whole + "TCP over IPV4 flows use these fields for computing Hash flow key:\nIP SA\nIP DA\nL4 bytes 0 & 1 [TCP/UDP src port]\nL4 bytes 2 & 3 [TCP/UDP dst port]\n"));
        yield return ("no-rss", Encoding.UTF8.GetBytes("Cannot get RX ring count: Operation not supported\n"));
    }
}
