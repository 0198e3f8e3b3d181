namespace VnetHash.Rss;

/// <summary>
/// Indirection tables fitted to measured traffic. Each table entry carries the load (packets, bytes or flows) of
/// the flows whose hashes select it; a flow cannot be split, so entries are the units moved between queues.
/// </summary>
public static class IndirectionTableOptimizer
{
    /// <summary>Above this many entries the pairwise swap search is skipped (it grows with the square of the entries per queue).</summary>
    private const int MaxEntriesForSwaps = 4096;
    private const int MaxImprovementRounds = 10_000;

    /// <summary>The load each queue gets from <paramref name="table"/> (entries wrap modulo the queue count, as RSS steers).</summary>
    public static long[] QueueLoads(ReadOnlySpan<ushort> table, ReadOnlySpan<long> entryLoads, int queueCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        if (table.Length != entryLoads.Length)
        {
            throw new ArgumentException($"{entryLoads.Length} loads for a table of {table.Length} entries", nameof(entryLoads));
        }

        var loads = new long[queueCount];
        for (int i = 0; i < table.Length; i++)
        {
            loads[table[i] % queueCount] += entryLoads[i];
        }

        return loads;
    }

    /// <summary>The busiest queue's load over the mean load (1 is perfect; 0 without load).</summary>
    public static double MaxOverMean(ReadOnlySpan<long> queueLoads)
    {
        long total = 0;
        long max = 0;
        foreach (long load in queueLoads)
        {
            total += load;
            max = Math.Max(max, load);
        }

        return total == 0 ? 0 : max * (double)queueLoads.Length / total;
    }

    /// <summary>
    /// A table of the same length that makes the busiest queue as light as it can find: the heaviest entries first,
    /// each to the lightest queue (LPT), then single moves and pairwise swaps off the busiest queue while they lower
    /// it. Entries without load are dealt to the queues with the fewest entries, so traffic not yet seen still
    /// spreads. Never worse than <paramref name="current"/>: unless it lowers the busiest queue, or keeps it and
    /// spreads the entries more evenly, it returns a copy of it.
    /// </summary>
    public static ushort[] Balance(ReadOnlySpan<long> entryLoads, int queueCount, ReadOnlySpan<ushort> current)
    {
        long[] before = QueueLoads(current, entryLoads, queueCount);
        int length = entryLoads.Length;
        var assignment = new int[length];
        var loads = new long[queueCount];
        var counts = new int[queueCount];
        long[] weights = entryLoads.ToArray();
        int[] order = [.. Enumerable.Range(0, length).OrderByDescending(i => weights[i]).ThenBy(i => i)];
        foreach (int entry in order)
        {
            int best = 0;
            for (int q = 1; q < queueCount; q++)
            {
                bool lighter = weights[entry] > 0
                    ? loads[q] < loads[best] || (loads[q] == loads[best] && counts[q] < counts[best])
                    : counts[q] < counts[best];
                if (lighter)
                {
                    best = q;
                }
            }

            assignment[entry] = best;
            loads[best] += weights[entry];
            counts[best]++;
        }

        Improve(weights, assignment, loads, queueCount);
        var table = new ushort[length];
        for (int i = 0; i < length; i++)
        {
            table[i] = (ushort)assignment[i];
        }

        // At an equal busiest load, the table whose queues hold more even numbers of entries serves unseen traffic better.
        long peak = loads.Max();
        long peakBefore = before.Max();
        bool better = peak < peakBefore || (peak == peakBefore && EntrySpread(table, queueCount) < EntrySpread(current, queueCount));
        return better ? table : current.ToArray();
    }

    /// <summary>The most entries any queue holds minus the fewest.</summary>
    private static int EntrySpread(ReadOnlySpan<ushort> table, int queueCount)
    {
        var counts = new int[queueCount];
        foreach (ushort entry in table)
        {
            counts[entry % queueCount]++;
        }

        return counts.Max() - counts.Min();
    }

    /// <summary>
    /// The <c>ethtool -X IF weight W0 W1 …</c> weights whose table (contiguous runs of entries per queue, see
    /// <see cref="EthtoolTable.Weighted"/>) makes the busiest queue lightest for these entry loads: the
    /// minimum-maximum split of the entries, in order, into one run per queue, every queue getting at least one
    /// entry when there are enough, reduced by the weights' common divisor.
    /// </summary>
    public static int[] ClosestWeights(ReadOnlySpan<long> entryLoads, int queueCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        long[] weights = entryLoads.ToArray();
        long low = weights.Length == 0 ? 0 : weights.Max();
        long high = weights.Sum();
        while (low < high)
        {
            long cap = low + (high - low) / 2;
            if (Split(weights, queueCount, cap) is not null)
            {
                high = cap;
            }
            else
            {
                low = cap + 1;
            }
        }

        int[] sizes = Split(weights, queueCount, low)!;
        int divisor = 0;
        foreach (int size in sizes)
        {
            divisor = Gcd(divisor, size);
        }

        return [.. sizes.Select(s => s / Math.Max(1, divisor))];
    }

    /// <summary>Run lengths of a split into at most <paramref name="queueCount"/> runs of load ≤ cap, or null.</summary>
    private static int[]? Split(long[] weights, int queueCount, long cap)
    {
        var sizes = new int[queueCount];
        int queue = 0;
        long load = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            int remainingEntries = weights.Length - i;
            int laterQueues = queueCount - queue - 1;

            // Close the run when the cap is reached, or when the entries left are just enough for one per later queue.
            bool close = sizes[queue] > 0 && (load + weights[i] > cap || remainingEntries <= laterQueues);
            if (close)
            {
                queue++;
                load = 0;
                if (queue == queueCount)
                {
                    return null;
                }
            }

            if (weights[i] > cap)
            {
                return null;
            }

            sizes[queue]++;
            load += weights[i];
        }

        return sizes;
    }

    private static void Improve(long[] weights, int[] assignment, long[] loads, int queueCount)
    {
        bool swaps = weights.Length <= MaxEntriesForSwaps;
        for (int round = 0; round < MaxImprovementRounds; round++)
        {
            int busiest = 0;
            for (int q = 1; q < queueCount; q++)
            {
                if (loads[q] > loads[busiest])
                {
                    busiest = q;
                }
            }

            if (!TryMove(weights, assignment, loads, busiest) && (!swaps || !TrySwap(weights, assignment, loads, busiest)))
            {
                return;
            }
        }
    }

    /// <summary>Moves the entry off the busiest queue that lowers the pair's larger load the most.</summary>
    private static bool TryMove(long[] weights, int[] assignment, long[] loads, int busiest)
    {
        long bestPeak = loads[busiest];
        int bestEntry = -1;
        int bestQueue = -1;
        for (int e = 0; e < weights.Length; e++)
        {
            if (assignment[e] != busiest || weights[e] == 0)
            {
                continue;
            }

            for (int q = 0; q < loads.Length; q++)
            {
                long peak = Math.Max(loads[busiest] - weights[e], loads[q] + weights[e]);
                if (q != busiest && peak < bestPeak)
                {
                    (bestPeak, bestEntry, bestQueue) = (peak, e, q);
                }
            }
        }

        if (bestEntry < 0)
        {
            return false;
        }

        loads[busiest] -= weights[bestEntry];
        loads[bestQueue] += weights[bestEntry];
        assignment[bestEntry] = bestQueue;
        return true;
    }

    /// <summary>Swaps an entry of the busiest queue for a lighter one of another queue when that lowers the pair's larger load.</summary>
    private static bool TrySwap(long[] weights, int[] assignment, long[] loads, int busiest)
    {
        long bestPeak = loads[busiest];
        (int a, int b) best = (-1, -1);
        for (int a = 0; a < weights.Length; a++)
        {
            if (assignment[a] != busiest)
            {
                continue;
            }

            for (int b = 0; b < weights.Length; b++)
            {
                int q = assignment[b];
                long delta = weights[a] - weights[b];
                if (q == busiest || delta <= 0)
                {
                    continue;
                }

                long peak = Math.Max(loads[busiest] - delta, loads[q] + delta);
                if (peak < bestPeak)
                {
                    bestPeak = peak;
                    best = (a, b);
                }
            }
        }

        if (best.a < 0)
        {
            return false;
        }

        int other = assignment[best.b];
        long change = weights[best.a] - weights[best.b];
        loads[busiest] -= change;
        loads[other] += change;
        (assignment[best.a], assignment[best.b]) = (other, busiest);
        return true;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
