using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Direction symmetry, what a stateful middlebox needs: of the connections seen in both directions, how many
/// land both directions on the same queue. Each connection (see <see cref="FlowKey.Connection"/>) keeps the
/// queue of the first packet of each direction. Exact up to <see cref="ExactLimit"/> connections; above that,
/// fixed memory by sampling on the connection hash: the connections whose hash starts with <see cref="SampleBits"/>
/// zero bits, one in 2^SampleBits, chosen the same way for every packet, so each sampled connection is whole.
/// </summary>
/// <remarks>
/// An open-addressing table in one array (growing to 256 KiB at the default limit), so that it stays in a core's
/// cache: a dictionary of 65,536 connections cost half again the analysis's CPU time on a capture of 200,000 flows.
/// </remarks>
public sealed class DirectionSymmetry
{
    public const int ExactLimit = 1 << 13;

    private const ulong Occupied = 1UL << 63;

    // The table starts with this many slots and doubles whenever more than half of them would be taken, up to the
    // size the limit needs. Writing the table through costs a page fault a page; a capture of a few connections then
    // writes 8 KiB instead of 256 KiB (three tables in a run, 10 µs a fault on some virtual machines).
    private const int FirstSlots = 512;

    private readonly int _limit;
    private readonly int _largestLength;

    // Slot i is two words side by side, so a lookup touches one cache line: at 2i a connection's key (with Occupied
    // set; 0 is empty), at 2i + 1 the queue + 1 of each direction (forward in the low half, reverse in the high half;
    // 0 while that direction is unseen).
    private ulong[] _slots;
    private int _count;

    public DirectionSymmetry(int limit = ExactLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
        _largestLength = 2 * (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)limit * 2);
        _slots = NewTable(Math.Min(_largestLength, 2 * FirstSlots));
    }

    /// <summary>Slots in the table now: it grows with the connections, up to twice the limit rounded up to a power of two.</summary>
    internal int Slots => _slots.Length / 2;

    /// <summary>The sample keeps one connection in 2^SampleBits; 0 while every connection is kept.</summary>
    public int SampleBits { get; private set; }

    /// <summary>Connections seen in both directions (in the sample).</summary>
    public long BothDirections => Count(sameQueueOnly: false);

    /// <summary>Connections seen in both directions (in the sample) whose two directions landed on one queue.</summary>
    public long SameQueue => Count(sameQueueOnly: true);

    /// <summary>SameQueue over BothDirections; null when no connection was seen both ways.</summary>
    public double? Share => BothDirections == 0 ? null : (double)SameQueue / BothDirections;

    /// <summary>The figures in words, the same in every report.</summary>
    public string Describe()
    {
        if (BothDirections == 0)
        {
            return "no connection was seen in both directions";
        }

        string sample = SampleBits == 0 ? "" : $" (a sample of one connection in {1L << SampleBits}, chosen by hash)";
        return string.Create(CultureInfo.InvariantCulture, $"{SameQueue} of {BothDirections} connections seen in both directions ({Share:P1}) land both ways on one queue{sample}");
    }

    /// <summary>
    /// Records a packet of <paramref name="connection"/> (bit 0: its direction) steered to <paramref name="queue"/>.
    /// True when an earlier packet of the connection in this direction was recorded, steered to the same queue.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(ulong connection, int queue)
    {
        ulong key = connection >> 1;
        if (!Sampled(key))
        {
            return false;
        }

        // Most packets belong to a connection whose direction is known already: they find it and store nothing.
        int slot = Slot(key);
        ref ulong keyWord = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(uint)slot);
        int shift = (int)(connection & 1) * 32;
        ulong first = keyWord == 0 ? 0 : (Unsafe.Add(ref keyWord, 1) >> shift) & uint.MaxValue;
        if (first == 0)
        {
            Record(slot, key, (ulong)(uint)(queue + 1) << shift);
            return false;
        }

        return first == (uint)(queue + 1);
    }

    /// <summary>
    /// Starts loading the slot where <see cref="Add"/> will look for <paramref name="connection"/> into the cache, so
    /// that an <see cref="Add"/> a packet later does not wait for it: between two packets of a connection a capture
    /// reading streams megabytes through the cache, and the slot is no longer there. Nothing on a CPU without a
    /// prefetch instruction that .NET exposes (x86 only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void Prefetch(ulong connection)
    {
        if (Sse.IsSupported)
        {
            // A prefetch never faults: were the array moved by the GC since its address was taken, it would only load
            // a line for nothing.
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(uint)Home(connection >> 1))));
        }
    }

    /// <summary>Adds what <paramref name="other"/> recorded (the same connections seen by another reader).</summary>
    public void Merge(DirectionSymmetry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.SampleBits > SampleBits)
        {
            SampleBits = other.SampleBits;
            Rebuild(_slots.Length);
        }

        for (int i = 0; i < other._slots.Length; i += 2)
        {
            ulong key = other._slots[i] & ~Occupied;
            if (other._slots[i] != 0 && Sampled(key))
            {
                Record(key, other._slots[i + 1]);
            }
        }
    }

    // Keys are 63 bits: the sample takes those whose top SampleBits bits are zero.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Sampled(ulong key) => SampleBits == 0 || key >> (63 - SampleBits) == 0;

    /// <summary>Adds the directions of <paramref name="queues"/> that the connection has not seen yet.</summary>
    private void Record(ulong key, ulong queues) => Record(Slot(key), key, queues);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Record(int slot, ulong key, ulong queues)
    {
        if (_slots[slot] == 0)
        {
            if (4 * (_count + 1) > _slots.Length && _slots.Length < _largestLength)
            {
                Rebuild(2 * _slots.Length);
                slot = Slot(key);
            }

            _slots[slot] = key | Occupied;
            _count++;
        }

        ulong known = _slots[slot + 1];
        ulong forward = (known & uint.MaxValue) != 0 ? known & uint.MaxValue : queues & uint.MaxValue;
        ulong reverse = (known >> 32) != 0 ? known >> 32 : queues >> 32;
        _slots[slot + 1] = forward | (reverse << 32);
        while (_count > _limit && SampleBits < 62)
        {
            SampleBits++;
            Rebuild(_slots.Length);
        }
    }

    /// <summary>
    /// Where the slot holding <paramref name="key"/> starts in <c>_slots</c>, or the empty one where it goes (the key is
    /// a hash already: its low bits pick the start).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key)
    {
        // Read without bounds checks, on every packet's probe: a slot index is masked to an even index below the
        // table's length, whose pairs fill it.
        ref ulong slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        int mask = Mask;
        ulong stored = key | Occupied;
        int slot = Home(key);
        ulong word;
        while ((word = Unsafe.Add(ref slots, (nint)(uint)slot)) != 0 && word != stored)
        {
            slot = (slot + 2) & mask;
        }

        return slot;
    }

    // Where the probe for key starts (see Slot).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong key) => (int)(key << 1) & Mask;

    // Keeps a slot index even and inside the table.
    private int Mask => _slots.Length - 2;

    // A table written through once now. The runtime may hand a large array over in fresh memory it has not written; the
    // probes' first reads would then map each page to the kernel's shared zero page, and the first insert into it would
    // copy the page and flush the TLB of every core running the process: an interprocessor interrupt per page while the
    // other threads read (docs/performance.md, "Tables written before they are read").
    private static ulong[] NewTable(int length)
    {
        ulong[] table = new ulong[length];
        Array.Clear(table);
        return table;
    }

    /// <summary>Moves the connections the current sample takes into a new table of <paramref name="length"/> words.</summary>
    private void Rebuild(int length)
    {
        ulong[] slots = _slots;
        _slots = NewTable(length);
        _count = 0;
        for (int i = 0; i < slots.Length; i += 2)
        {
            ulong key = slots[i] & ~Occupied;
            if (slots[i] != 0 && Sampled(key))
            {
                int slot = Slot(key);
                _slots[slot] = slots[i];
                _slots[slot + 1] = slots[i + 1];
                _count++;
            }
        }
    }

    private long Count(bool sameQueueOnly)
    {
        long count = 0;
        for (int i = 0; i < _slots.Length; i += 2)
        {
            ulong queues = _slots[i + 1];
            uint forward = (uint)queues;
            uint reverse = (uint)(queues >> 32);
            if (_slots[i] != 0 && forward != 0 && reverse != 0 && (!sameQueueOnly || forward == reverse))
            {
                count++;
            }
        }

        return count;
    }
}
