namespace VnetHash.Cli.Analysis;

/// <summary>How evenly flows, bytes and packets spread over the queues, and what the analysis warns about.</summary>
/// <param name="Flows">Distinct flows per queue: what RSS spreads, and what a good key and table even out.</param>
/// <param name="Bytes">Bytes per queue: the load, which a few heavy flows can skew whatever the hash.</param>
/// <param name="Packets">Packets per queue.</param>
/// <param name="Warnings">Facts about the traffic that affect the spread.</param>
public sealed record AnalysisSummary(Balance Flows, Balance Bytes, Balance Packets, IReadOnlyList<string> Warnings);
