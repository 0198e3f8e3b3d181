using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Counts distinct flows in fixed memory: exactly up to <see cref="ExactLimit"/> flows (a small open-addressing
/// set of 64-bit flow hashes), then by HyperLogLog (2^12 one-byte registers, about 1.6 % standard error).
/// A capture of any size and any number of flows keeps at most 20 KiB per counter, so analysing a long
/// capture cannot run out of memory.
/// </summary>
public sealed class FlowCounter
{
    /// <summary>Up to this many distinct flows the count is exact.</summary>
    public const int ExactLimit = 1024;

    // The exact set starts this small and doubles whenever it would be more than half full, up to twice the limit: an
    // analysis makes a counter per queue per reader, and at start-up, where each page written first costs a fault,
    // their full sets were a good part of the time a small capture takes.
    private const int FirstSlots = 64;
    private const int Precision = 12;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] _registers = new byte[RegisterCount];
    private ulong[] _exact = new ulong[FirstSlots];
    private int _exactCount;

    /// <summary>Slots in the exact set now: it grows with the flows, up to twice <see cref="ExactLimit"/>.</summary>
    internal int Slots => _exact.Length;

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
        int i = SlotOf(_exact, key);
        if (_exact[i] == key)
        {
            return;
        }

        if (_exactCount == ExactLimit)
        {
            // One more distinct flow than the set holds: from now on the registers answer.
            _exactCount++;
            return;
        }

        if (2 * (_exactCount + 1) > _exact.Length)
        {
            Grow();
            i = SlotOf(_exact, key);
        }

        _exact[i] = key;
        _exactCount++;
    }

    // The slot that holds key, or the empty slot where it goes.
    private static int SlotOf(ulong[] set, ulong key)
    {
        int mask = set.Length - 1;
        int i = (int)(key & (ulong)mask);
        while (set[i] != key && set[i] != 0)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private void Grow()
    {
        ulong[] old = _exact;
        _exact = new ulong[2 * old.Length];
        foreach (ulong key in old)
        {
            if (key != 0)
            {
                _exact[SlotOf(_exact, key)] = key;
            }
        }
    }
}
