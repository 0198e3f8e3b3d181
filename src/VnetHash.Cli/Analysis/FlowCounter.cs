using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Counts distinct flows in fixed memory: exactly up to <see cref="ExactLimit"/> flows (a small open-addressing
/// set of 64-bit flow hashes), then by HyperLogLog (2^12 one-byte registers, about 1.6 % standard error).
/// A capture of any size and any number of flows costs the same 20 KiB per counter, so analysing a long
/// capture cannot run out of memory.
/// </summary>
public sealed class FlowCounter
{
    /// <summary>Up to this many distinct flows the count is exact.</summary>
    public const int ExactLimit = 1024;

    private const int Precision = 12;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] _registers = new byte[RegisterCount];
    private readonly ulong[] _exact = new ulong[ExactLimit * 2];
    private int _exactCount;

    /// <summary>Adds a flow by its 64-bit hash (see <see cref="FlowKey"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong flowHash)
    {
        if (_exactCount <= ExactLimit)
        {
            AddExact(flowHash);
        }

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
        Span<byte> registers = _registers;
        ReadOnlySpan<byte> others = other._registers;
        for (int i = 0; i < RegisterCount; i += Vector128<byte>.Count)
        {
            Vector128.Max(Vector128.Create(registers[i..]), Vector128.Create(others[i..])).CopyTo(registers[i..]);
        }

        if (other._exactCount > ExactLimit)
        {
            _exactCount = ExactLimit + 1;
            return;
        }

        foreach (ulong hash in other._exact)
        {
            if (hash != 0 && _exactCount <= ExactLimit)
            {
                AddExact(hash);
            }
        }
    }

    /// <summary>The number of distinct flows added: exact up to <see cref="ExactLimit"/>, estimated above.</summary>
    public long Estimate()
    {
        if (_exactCount <= ExactLimit)
        {
            return _exactCount;
        }

        double sum = 0;
        int zeros = 0;
        foreach (byte register in _registers)
        {
            // 2^-register from its exponent field: exact, as Math.ScaleB is, without a call per register.
            sum += BitConverter.Int64BitsToDouble((long)(1023 - register) << 52);
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddExact(ulong flowHash)
    {
        ulong key = flowHash == 0 ? 1 : flowHash; // 0 marks an empty slot
        int mask = _exact.Length - 1;
        for (int i = (int)(key & (ulong)mask); ; i = (i + 1) & mask)
        {
            if (_exact[i] == key)
            {
                return;
            }

            if (_exact[i] == 0)
            {
                if (_exactCount == ExactLimit)
                {
                    // One more distinct flow than the set holds: from now on the registers answer.
                    _exactCount++;
                    return;
                }

                _exact[i] = key;
                _exactCount++;
                return;
            }
        }
    }
}
