using System.Text;
using VnetHash.Cli;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>--table</c>: any text is a list of queue indices, <c>ethtool -X</c>'s words for a table of <see cref="Queues"/>
/// queues, or a <see cref="UsageException"/> naming the option; a list
/// prints back to text that parses to the same list, and becomes a configuration exactly when its length is a power
/// of two up to 65536 (otherwise a <see cref="ConfigurationException"/> says so); queue checks refuse exactly the
/// entries at or above the queue count.
/// </summary>
internal sealed class TableTextTarget : IFuzzTarget
{
    // The queue count ethtool's words (equal, weight, start, default) fill a table for.
    private const int Queues = 16;

    public string Name => "table-text";

    public void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        ushort[] table;
        try
        {
            table = RssOptions.ParseTable(text, Queues);
        }
        catch (UsageException e)
        {
            Check.That(e.Message.StartsWith("--table: ", StringComparison.Ordinal), $"a refusal that does not name the option: {e.Message}");
            return;
        }

        Check.That(table.Length > 0, "an empty table");
        Check.SequenceEqual<ushort>(table, RssOptions.ParseTable(string.Join(',', table), Queues), "the table printed and parsed again");

        int length = table.Length;
        bool powerOfTwo = length <= RssConfiguration.MaxIndirectionTableLength && (length & (length - 1)) == 0;
        try
        {
            RssConfiguration configuration = RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, table);
            Check.That(powerOfTwo, $"a table of {length} entries was accepted");
            Check.SequenceEqual<ushort>(table, configuration.IndirectionTable, "the configuration's table");
        }
        catch (ConfigurationException e)
        {
            Check.That(!powerOfTwo && e.Rule is ConfigurationRule.TableLengthNotPowerOfTwo or ConfigurationRule.TableTooLong, $"a table of {length} entries refused: {e.Message}");
        }

        int largest = table.Max();
        int queues = 1 + (largest % 64);
        bool fits = table.All(e => e < queues);
        try
        {
            RssOptions.CheckQueueIndices(table, 0, queues);
            Check.That(fits, $"entries at or above {queues} queues were accepted");
        }
        catch (UsageException e)
        {
            Check.That(!fits && e.Message.StartsWith("--table: ", StringComparison.Ordinal), $"refused with {queues} queues: {e.Message}");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("round-robin", Encoding.UTF8.GetBytes(string.Join(',', Enumerable.Range(0, 128).Select(i => i % 4))));
        yield return ("spaces-colons", Encoding.UTF8.GetBytes("0 1:2, 3 ,65535"));
        yield return ("one", Encoding.UTF8.GetBytes("7"));
        yield return ("bad", Encoding.UTF8.GetBytes("0,1,-2"));
        yield return ("equal", Encoding.UTF8.GetBytes("equal 4"));
        yield return ("weight", Encoding.UTF8.GetBytes("start 2 weight 2 1 1 2"));
    }
}
