using VnetHash.Rss;

namespace VnetHash.Fuzz;

/// <summary>Comparisons the codec targets share.</summary>
internal static class Configurations
{
    /// <summary>Whether two configurations (or two absent ones) hold the same fields.</summary>
    public static bool Same(RssConfiguration? a, RssConfiguration? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Types == b.Types && a.Profile == b.Profile && a.Symmetric == b.Symmetric && a.UnclassifiedQueue == b.UnclassifiedQueue
              && a.Key.SequenceEqual(b.Key) && a.IndirectionTable.SequenceEqual(b.IndirectionTable);

    /// <summary>
    /// One verdict from a throwing decoder and its trying twin: the decoded command, or null after a refusal that names
    /// a field and the rule the trying decoder gave.
    /// </summary>
    public static T? OneVerdict<T>(Func<T> decode, bool accepted, ConfigurationRule rule)
        where T : class
    {
        T decoded;
        try
        {
            decoded = decode();
        }
        catch (ConfigurationException e)
        {
            Check.That(!accepted, $"Decode refused ({e.Rule}) what TryDecode accepted");
            Check.Equal(rule, e.Rule, "the rule Decode names");
            Check.That(e.Rule != ConfigurationRule.None && e.Field.Length > 0, $"a refusal without a rule or a field: {e.Message}");
            return null;
        }

        Check.That(accepted && rule == ConfigurationRule.None, $"TryDecode refused ({rule}) what Decode accepted");
        return decoded;
    }
}
