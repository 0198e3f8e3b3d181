using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>What RSS decided for one packet: its hash report and its queue.</summary>
/// <param name="Hash">The hash value and report type (<see cref="HashResult.None"/> for unclassified packets).</param>
/// <param name="Queue">The queue index among the attached queues.</param>
public readonly record struct RssDecision(HashResult Hash, int Queue);
