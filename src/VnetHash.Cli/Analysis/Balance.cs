namespace VnetHash.Cli.Analysis;

/// <summary>
/// How evenly one quantity (flows, bytes or packets) spreads over the queues. No significance test: packets of
/// one flow all land together, so they are not independent draws, and a test on packets raises alarms for
/// nothing; these figures describe the spread and leave the judgement to the reader.
/// </summary>
/// <param name="Total">The quantity summed over the queues.</param>
/// <param name="MaxOverMean">The busiest queue's amount over the mean per queue (1 is perfect).</param>
/// <param name="CoefficientOfVariation">Standard deviation per queue over the mean (0 is perfect).</param>
/// <param name="BusiestQueue">The queue with the most (the lowest index among equals).</param>
/// <param name="BusiestShare">The busiest queue's share of the total (1 / queues is perfect).</param>
public sealed record Balance(long Total, double MaxOverMean, double CoefficientOfVariation, int BusiestQueue, double BusiestShare)
{
    public static Balance Of(ReadOnlySpan<long> perQueue)
    {
        if (perQueue.IsEmpty)
        {
            return new Balance(0, 0, 0, 0, 0);
        }

        long total = 0;
        int busiest = 0;
        for (int i = 0; i < perQueue.Length; i++)
        {
            total += perQueue[i];
            busiest = perQueue[i] > perQueue[busiest] ? i : busiest;
        }

        if (total == 0)
        {
            return new Balance(0, 0, 0, 0, 0);
        }

        double mean = (double)total / perQueue.Length;
        double squares = 0;
        foreach (long amount in perQueue)
        {
            squares += (amount - mean) * (amount - mean);
        }

        return new Balance(total, perQueue[busiest] / mean, Math.Sqrt(squares / perQueue.Length) / mean, busiest, (double)perQueue[busiest] / total);
    }
}
