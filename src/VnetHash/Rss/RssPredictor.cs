using System.Net;
using System.Numerics;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Rss;

/// <summary>
/// Predictable RSS: which values of one field of a flow (a port or an address) make the flow land on a chosen
/// queue, the value nearest to a wanted one, and a complement to XOR into the field, for NAT, proxies and load
/// generators that must pick a tuple landing on a queue (what DPDK's <c>rte_thash_adjust_tuple</c> does for C).
/// </summary>
/// <remarks>
/// Toeplitz is linear over GF(2): with the other fields fixed, the hash of the tuple is an affine function of the
/// varied field, <c>c ⊕ ⊕ᵢ vᵢ·Kᵢ</c>, where <c>Kᵢ</c> is what bit i of the field contributes at its input offset.
/// Walking the values in order, going from v − 1 to v flips bits 0..tz(v), so each hash is one XOR away from the
/// previous one. The contributions are read off the configuration's own hasher, so the enabled types, the
/// profile, the <c>_EX</c> addresses and the symmetric modes act exactly as in <see cref="RssSteering"/>; the
/// sorted-tuple mode is affine on each side of the field's counterpart (below it the field keeps its place, above
/// it the two swap), so it is two pieces.
/// </remarks>
public sealed class RssPredictor
{
    private readonly RssSteering _steering;
    private readonly Piece[] _pieces;
    private readonly int _mask;

    /// <summary>Prepares predictions for <paramref name="field"/> of <paramref name="tuple"/> under a configuration and a queue count.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="queueCount"/> is less than 1, or the field is not defined.</exception>
    public RssPredictor(RssConfiguration configuration, int queueCount, RssTuple tuple, TupleField field)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(tuple);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        if (!Enum.IsDefined(field))
        {
            throw new ArgumentOutOfRangeException(nameof(field), field, "not a tuple field");
        }

        Configuration = configuration;
        QueueCount = queueCount;
        Tuple = tuple;
        Field = field;
        _steering = new RssSteering(configuration);
        _mask = configuration.IndirectionTableMask;
        int addressLength = tuple.IsIPv6 ? 16 : 4;
        FieldBits = field is TupleField.SourcePort or TupleField.DestinationPort ? 16 : 8 * addressLength;
        MaxValue = FieldBits == 128 ? UInt128.MaxValue : (UInt128.One << FieldBits) - 1;
        Report = tuple.Hash(_steering.Hasher).Report;
        _pieces = BuildPieces(tuple, field, addressLength);
    }

    /// <summary>The configuration predicted for.</summary>
    public RssConfiguration Configuration { get; }

    /// <summary>The number of queues the table's entries wrap to.</summary>
    public int QueueCount { get; }

    /// <summary>The flow whose other fields stay fixed.</summary>
    public RssTuple Tuple { get; }

    /// <summary>The varied field.</summary>
    public TupleField Field { get; }

    /// <summary>The field's width: 16 for ports, 32 or 128 for addresses.</summary>
    public int FieldBits { get; }

    /// <summary>The field's largest value.</summary>
    public UInt128 MaxValue { get; }

    /// <summary>The report type the flow gets (the same for every value of the field); <see cref="HashReport.None"/> sends it to the unclassified queue.</summary>
    public HashReport Report { get; }

    /// <summary>Whether the field takes part in the hash at all (it does not when the report leaves it out).</summary>
    internal bool FieldIsHashed => _pieces.Any(p => p.Bits.Any(b => b != 0));

    /// <summary>The hash the flow gets with the field set to <paramref name="value"/>.</summary>
    public uint Hash(UInt128 value)
    {
        ThrowIfOutOfField(value);
        return PieceOf(value).Evaluate(value);
    }

    /// <summary>The queue the flow lands on with the field set to <paramref name="value"/>.</summary>
    public int Queue(UInt128 value) => _steering.SelectQueue(new HashResult(Report == HashReport.None ? 0 : Hash(value), Report), QueueCount);

    /// <summary>The flow with the field set to <paramref name="value"/>.</summary>
    public RssTuple WithValue(UInt128 value)
    {
        ThrowIfOutOfField(value);
        return Field switch
        {
            TupleField.SourcePort => new RssTuple(Tuple.Source, Tuple.Destination, Tuple.Transport, (ushort)value, Tuple.DestinationPort, Tuple.HomeAddress, Tuple.RoutingAddress),
            TupleField.DestinationPort => new RssTuple(Tuple.Source, Tuple.Destination, Tuple.Transport, Tuple.SourcePort, (ushort)value, Tuple.HomeAddress, Tuple.RoutingAddress),
            TupleField.Source => new RssTuple(ToAddress(value), Tuple.Destination, Tuple.Transport, Tuple.SourcePort, Tuple.DestinationPort, Tuple.HomeAddress, Tuple.RoutingAddress),
            _ => new RssTuple(Tuple.Source, ToAddress(value), Tuple.Transport, Tuple.SourcePort, Tuple.DestinationPort, Tuple.HomeAddress, Tuple.RoutingAddress),
        };
    }

    /// <summary>The field's current value in <see cref="Tuple"/>.</summary>
    public UInt128 CurrentValue => Field switch
    {
        TupleField.SourcePort => Tuple.SourcePort,
        TupleField.DestinationPort => Tuple.DestinationPort,
        TupleField.Source => ToValue(Tuple.Source),
        _ => ToValue(Tuple.Destination),
    };

    /// <summary>Every value from <paramref name="low"/> to <paramref name="high"/> (inclusive) that lands on <paramref name="queue"/>, ascending.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound lies outside the field, or <paramref name="low"/> exceeds <paramref name="high"/>.</exception>
    public IEnumerable<UInt128> Candidates(int queue, UInt128 low, UInt128 high)
    {
        ThrowIfBadRange(low, high);
        bool[] lands = Landing(queue);
        return Walk(lands, low, high);
    }

    /// <summary>The value within [<paramref name="low"/>, <paramref name="high"/>] nearest to <paramref name="wanted"/> that lands on <paramref name="queue"/> (the lower one on a tie), or null.</summary>
    public UInt128? Nearest(int queue, UInt128 wanted, UInt128 low, UInt128 high)
    {
        ThrowIfBadRange(low, high);
        bool[] lands = Landing(queue);
        UInt128 start = wanted < low ? low : wanted > high ? high : wanted;
        UInt128 below = start;
        UInt128 above = start;
        bool belowOpen = true;
        bool aboveOpen = true;
        if (Lands(lands, start))
        {
            return start;
        }

        while (belowOpen || aboveOpen)
        {
            belowOpen = belowOpen && below > low;
            if (belowOpen)
            {
                below--;
            }

            aboveOpen = aboveOpen && above < high;
            if (aboveOpen)
            {
                above++;
            }

            bool belowHits = belowOpen && Lands(lands, below);
            bool aboveHits = aboveOpen && Lands(lands, above);
            if (belowHits && (!aboveHits || wanted - below <= above - wanted))
            {
                return below;
            }

            if (aboveHits)
            {
                return above;
            }
        }

        return null;
    }

    /// <summary>
    /// A value to XOR into the field's current value so the flow lands on <paramref name="queue"/>: found by
    /// solving the linear system of the table-index bits over the field's bits, lowest bits first, so it changes
    /// only the lowest bits that suffice (0 when the flow is there already). Null when no XOR of the field reaches
    /// the queue (the field is not hashed, or the queue has no table entry the field's bits can reach).
    /// </summary>
    public UInt128? Complement(int queue)
    {
        bool[] lands = Landing(queue);
        UInt128 current = CurrentValue;
        if (Lands(lands, current))
        {
            return UInt128.Zero;
        }

        if (Report == HashReport.None)
        {
            return null;
        }

        int indexBits = BitOperations.Log2((uint)(_mask + 1));
        Piece piece = PieceOf(current);
        uint here = piece.Evaluate(current) & (uint)_mask;

        // An XOR basis of the index bits each field bit moves, taken from the lowest field bit up.
        var basis = new uint[indexBits];
        var combination = new UInt128[indexBits];
        for (int bit = 0; bit < FieldBits; bit++)
        {
            Insert(basis, combination, piece.Bits[bit] & (uint)_mask, UInt128.One << bit);
        }

        UInt128? best = null;
        for (int index = 0; index <= _mask; index++)
        {
            if (!lands[index] || !TrySolve(basis, combination, here ^ (uint)index, out UInt128 complement))
            {
                continue;
            }

            // In the sorted-tuple mode an XOR may carry the field past its counterpart, onto the other piece.
            if ((best is null || complement < best) && Lands(lands, current ^ complement))
            {
                best = complement;
            }
        }

        return best;
    }

    private static void Insert(uint[] basis, UInt128[] combination, uint vector, UInt128 bits)
    {
        for (int k = basis.Length - 1; k >= 0 && vector != 0; k--)
        {
            if ((vector >> k & 1) == 0)
            {
                continue;
            }

            if (basis[k] == 0)
            {
                basis[k] = vector;
                combination[k] = bits;
                return;
            }

            vector ^= basis[k];
            bits ^= combination[k];
        }
    }

    private static bool TrySolve(uint[] basis, UInt128[] combination, uint target, out UInt128 bits)
    {
        bits = UInt128.Zero;
        for (int k = basis.Length - 1; k >= 0; k--)
        {
            if ((target >> k & 1) == 0)
            {
                continue;
            }

            if (basis[k] == 0)
            {
                return false;
            }

            target ^= basis[k];
            bits ^= combination[k];
        }

        return target == 0;
    }

    private IEnumerable<UInt128> Walk(bool[] lands, UInt128 low, UInt128 high)
    {
        if (Report == HashReport.None)
        {
            // No hash: every value goes to the unclassified queue, or none does.
            if (!lands[0])
            {
                yield break;
            }

            for (UInt128 v = low; ; v++)
            {
                yield return v;
                if (v == high)
                {
                    yield break;
                }
            }
        }

        foreach (Piece piece in _pieces)
        {
            UInt128 first = low > piece.First ? low : piece.First;
            UInt128 last = high < piece.Last ? high : piece.Last;
            if (first > last)
            {
                continue;
            }

            uint hash = piece.Evaluate(first);
            if (FieldBits <= 64)
            {
                // Ports and IPv4 addresses: the scan between two hits runs in registers, outside the iterator.
                ulong value = (ulong)first;
                ulong end = (ulong)last;
                while (Seek(lands, piece.Prefix, (uint)_mask, ref value, ref hash, end))
                {
                    yield return value;
                    if (value == end)
                    {
                        break;
                    }

                    value++;
                    hash ^= piece.Prefix[BitOperations.TrailingZeroCount(value)];
                }

                continue;
            }

            for (UInt128 v = first; ;)
            {
                if (lands[hash & (uint)_mask])
                {
                    yield return v;
                }

                if (v == last)
                {
                    break;
                }

                v++;
                hash ^= piece.Prefix[(int)UInt128.TrailingZeroCount(v)];
            }
        }
    }

    /// <summary>
    /// Moves <paramref name="value"/> (whose hash is <paramref name="hash"/>) up to the first value that lands, at most
    /// to <paramref name="last"/>; false when none up to it does.
    /// </summary>
    private static bool Seek(bool[] lands, uint[] prefix, uint mask, ref ulong value, ref uint hash, ulong last)
    {
        ulong v = value;
        uint h = hash;
        bool found;
        while (!(found = lands[h & mask]) && v != last)
        {
            v++;
            h ^= prefix[BitOperations.TrailingZeroCount(v)];
        }

        value = v;
        hash = h;
        return found;
    }

    /// <summary>Per table index: whether a hash landing there goes to <paramref name="queue"/>. Without a hash, index 0 says whether the unclassified queue is it.</summary>
    private bool[] Landing(int queue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(queue, QueueCount);
        var lands = new bool[_mask + 1];
        if (Report == HashReport.None)
        {
            lands[0] = _steering.SelectQueue(HashResult.None, QueueCount) == queue;
            return lands;
        }

        for (int index = 0; index <= _mask; index++)
        {
            lands[index] = _steering.SelectQueue(new HashResult((uint)index, Report), QueueCount) == queue;
        }

        return lands;
    }

    private bool Lands(bool[] lands, UInt128 value) => Report == HashReport.None ? lands[0] : lands[PieceOf(value).Evaluate(value) & (uint)_mask];

    private Piece PieceOf(UInt128 value) => _pieces.Length == 1 || value <= _pieces[0].Last ? _pieces[0] : _pieces[1];

    private void ThrowIfOutOfField(UInt128 value)
    {
        if (value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"the field has {FieldBits} bits");
        }
    }

    private void ThrowIfBadRange(UInt128 low, UInt128 high)
    {
        ThrowIfOutOfField(low);
        ThrowIfOutOfField(high);
        if (low > high)
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, $"the range starts after its end {high}");
        }
    }

    private IPAddress ToAddress(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[FieldBits / 8];
        Write(bytes, value);
        return new IPAddress(bytes);
    }

    private static UInt128 ToValue(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        UInt128 value = 0;
        for (int i = 0; i < written; i++)
        {
            value = value << 8 | bytes[i];
        }

        return value;
    }

    private static void Write(Span<byte> slot, UInt128 value)
    {
        for (int i = slot.Length - 1; i >= 0; i--)
        {
            slot[i] = (byte)value;
            value >>= 8;
        }
    }

    private Piece[] BuildPieces(RssTuple tuple, TupleField field, int addressLength)
    {
        Span<byte> laid = stackalloc byte[RssTuple.BufferLength];
        PacketInfo info = tuple.Lay(laid);
        byte[] original = laid.ToArray();
        byte[] buffer = laid.ToArray();
        PacketHasher hasher = _steering.Hasher;
        int width = FieldBits / 8;
        bool ex = Report is HashReport.IPv6Ex or HashReport.TcpV6Ex or HashReport.UdpV6Ex;
        int hashedSource = ex && info.HomeAddressOffset >= 0 ? info.HomeAddressOffset : 0;
        int hashedDestination = ex && info.RoutingAddressOffset >= 0 ? info.RoutingAddressOffset : addressLength;
        int ports = 2 * addressLength;
        (int own, int counterpart, bool first) = field switch
        {
            TupleField.SourcePort => (ports, ports + 2, true),
            TupleField.DestinationPort => (ports + 2, ports, false),
            TupleField.Source => (0, hashedDestination, true),
            _ => (addressLength, hashedSource, false),
        };

        // Only a field that is hashed where it lies can swap places with its counterpart.
        bool placed = field switch
        {
            TupleField.Source => hashedSource == 0,
            TupleField.Destination => hashedDestination == addressLength,
            _ => true,
        };

        uint HashWith(PacketHasher h, int slot, UInt128 value)
        {
            Write(buffer.AsSpan(slot, width), value);
            uint result = h.Hash(buffer, in info).Value;
            original.AsSpan(slot, width).CopyTo(buffer.AsSpan(slot, width));
            return result;
        }

        if (hasher.Symmetric != SymmetricMode.SortedTuple || !placed || Report == HashReport.None)
        {
            // Plain and XOR modes are affine in the field over its whole range.
            var bits = new uint[FieldBits];
            uint constant = HashWith(hasher, own, UInt128.Zero);
            for (int bit = 0; bit < FieldBits; bit++)
            {
                bits[bit] = HashWith(hasher, own, UInt128.One << bit) ^ constant;
            }

            return [new Piece(UInt128.Zero, MaxValue, constant, bits)];
        }

        var plain = new PacketHasher(hasher.Key, hasher.Types, hasher.Profile, SymmetricMode.None);
        UInt128 other = ReadValue(buffer.AsSpan(counterpart, width));

        // The sorted mode keeps the field in its own place while it orders before (first slot) or after (second
        // slot) its counterpart, and swaps the two otherwise; equal values give the same tuple either way.
        Piece Side(int slot, UInt128 from, UInt128 to)
        {
            var bits = new uint[FieldBits];
            uint zero = HashWith(plain, slot, UInt128.Zero);
            uint linear = 0;
            for (int bit = 0; bit < FieldBits; bit++)
            {
                bits[bit] = HashWith(plain, slot, UInt128.One << bit) ^ zero;
                if ((from >> bit & UInt128.One) != 0)
                {
                    linear ^= bits[bit];
                }
            }

            return new Piece(from, to, HashWith(hasher, own, from) ^ linear, bits);
        }

        var pieces = new List<Piece>(2);
        if (first)
        {
            pieces.Add(Side(own, UInt128.Zero, other));
            if (other < MaxValue)
            {
                pieces.Add(Side(counterpart, other + 1, MaxValue));
            }
        }
        else
        {
            if (other > 0)
            {
                pieces.Add(Side(counterpart, UInt128.Zero, other - 1));
            }

            pieces.Add(Side(own, other, MaxValue));
        }

        return [.. pieces];
    }

    private static UInt128 ReadValue(ReadOnlySpan<byte> slot)
    {
        UInt128 value = 0;
        foreach (byte b in slot)
        {
            value = value << 8 | b;
        }

        return value;
    }

    /// <summary>Where the hash is <c>Constant ⊕ ⊕ᵢ vᵢ·Bits[i]</c>: values First..Last.</summary>
    private sealed class Piece
    {
        public Piece(UInt128 first, UInt128 last, uint constant, uint[] bits)
        {
            First = first;
            Last = last;
            Constant = constant;
            Bits = bits;
            Prefix = new uint[bits.Length];
            uint running = 0;
            for (int i = 0; i < bits.Length; i++)
            {
                running ^= bits[i];
                Prefix[i] = running;
            }
        }

        public UInt128 First { get; }

        public UInt128 Last { get; }

        public uint Constant { get; }

        /// <summary>What bit i of the field (bit 0 the least significant) contributes.</summary>
        public uint[] Bits { get; }

        /// <summary>Prefix[k] = Bits[0] ⊕ … ⊕ Bits[k]: the change from v − 1 to v when v has k trailing zeros.</summary>
        public uint[] Prefix { get; }

        public uint Evaluate(UInt128 value)
        {
            uint hash = Constant;
            while (value != UInt128.Zero)
            {
                int bit = (int)UInt128.TrailingZeroCount(value);
                hash ^= Bits[bit];
                value &= value - 1;
            }

            return hash;
        }
    }
}
