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
}
