namespace VnetHash.Cli.Analysis;

/// <summary>How evenly packets spread over the queues, and what the analysis warns about.</summary>
/// <param name="MaxOverMean">The busiest queue's packets over the mean per queue (1 is perfect).</param>
/// <param name="CoefficientOfVariation">Standard deviation of packets per queue over the mean (0 is perfect).</param>
/// <param name="ChiSquare">Chi-square statistic of packets per queue against a uniform spread.</param>
/// <param name="DegreesOfFreedom">Queues minus one.</param>
/// <param name="PValue">Probability of a chi-square at least this large if packets spread uniformly at random.</param>
/// <param name="Warnings">Facts about the traffic that affect the spread.</param>
public sealed record AnalysisSummary(double MaxOverMean, double CoefficientOfVariation, double ChiSquare, int DegreesOfFreedom, double PValue, IReadOnlyList<string> Warnings);
