using System.Numerics;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Counts distinct flows in fixed memory with HyperLogLog (2^12 one-byte registers, about 1.6 % standard
/// error, exact-looking for small counts thanks to linear counting). A capture of any size and any number of
/// flows costs the same 4 KiB per counter, so analysing a long capture cannot run out of memory.
/// </summary>
public sealed class FlowCounter
{
    private const int Precision = 12;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] _registers = new byte[RegisterCount];

    /// <summary>Adds a flow by its 64-bit hash (see <see cref="FlowKey"/>).</summary>
    public void Add(ulong flowHash)
    {
        int index = (int)(flowHash >> (64 - Precision));
        ulong rest = (flowHash << Precision) | (1UL << (Precision - 1));
        byte rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    /// <summary>Adds every flow of <paramref name="other"/> (the union of both sets).</summary>
    public void Merge(FlowCounter other)
    {
        for (int i = 0; i < RegisterCount; i++)
        {
            _registers[i] = Math.Max(_registers[i], other._registers[i]);
        }
    }

    /// <summary>The estimated number of distinct flows added.</summary>
    public long Estimate()
    {
        double sum = 0;
        int zeros = 0;
        foreach (byte register in _registers)
        {
            sum += Math.ScaleB(1.0, -register);
            if (register == 0)
            {
                zeros++;
            }
        }

        const double m = RegisterCount;
        double alpha = 0.7213 / (1 + (1.079 / m));
        double estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
        {
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }
}
