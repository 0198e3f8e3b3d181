using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.VirtioNet;

namespace VnetHash.Rss;

/// <summary>
/// Steers frames as the series' tun RSS does: <c>table[hash &amp; mask] % queues</c>, unclassified packets to
/// <c>unclassified % queues</c>, and queue 0 when no queue is attached.
/// </summary>
/// <remarks>Immutable and thread-safe; one call takes a frame to its hash, report and queue without allocating.</remarks>
public sealed class RssSteering
{
    // The indirection table, pinned (it never moves, so its address stays valid while this object holds it) and read
    // through that address: the frame path then loads an entry without loading and null-checking the array first.
    private readonly ushort[] _table;
    private readonly nint _entries;
    private readonly int _mask;
    private readonly ushort _unclassified;

    /// <summary>Prepares steering for a validated configuration.</summary>
    public unsafe RssSteering(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Hasher = new PacketHasher(configuration.PreparedKey, configuration.Types, configuration.Profile, configuration.Symmetric, configuration.TunnelTypes, configuration.TunnelPorts);
        _table = GC.AllocateArray<ushort>(configuration.IndirectionTable.Length, pinned: true);
        configuration.IndirectionTable.CopyTo(_table);
        _entries = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_table));
        _mask = configuration.IndirectionTableMask;
        _unclassified = configuration.UnclassifiedQueue;
    }

    /// <summary>The configuration in force.</summary>
    public RssConfiguration Configuration { get; }

    /// <summary>The hash rules of the configuration.</summary>
    public PacketHasher Hasher { get; }

    /// <summary>Hashes and steers one frame among <paramref name="queueCount"/> queues.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RssDecision Decide(ReadOnlySpan<byte> frame, FrameKind kind, int queueCount)
    {
        // The inlined plain path's result always has a hash, so its queue needs no test for unclassified packets. All
        // else is one out-of-line call, the only call a caller's loop then holds.
        HashResult plain = Hasher.TryHashPlainInline(frame, kind);
        return plain.HasHash ? new RssDecision(plain, QueueOf(plain.Value, queueCount)) : DecideDissected(frame, kind, queueCount);
    }

    /// <summary>
    /// Hashes and steers one frame, and writes the hash value and report into <paramref name="header"/>, the
    /// packet's <c>virtio_net_hdr_v1_hash</c> (at least 20 bytes), as the series' kernel does on read.
    /// </summary>
    /// <exception cref="ArgumentException">The header is shorter than 20 bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RssDecision Decide(ReadOnlySpan<byte> frame, FrameKind kind, int queueCount, Span<byte> header)
    {
        RssDecision decision = Decide(frame, kind, queueCount);
        VirtioNetHeader.WriteHashReport(header, decision.Hash);
        return decision;
    }

    /// <summary>The queue for a hash result among <paramref name="queueCount"/> queues.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SelectQueue(HashResult hash, int queueCount)
    {
        if (queueCount <= 0)
        {
            return 0;
        }

        return hash.HasHash ? QueueOf(hash.Value, queueCount) : Wrap(_unclassified, queueCount);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RssDecision DecideDissected(ReadOnlySpan<byte> frame, FrameKind kind, int queueCount)
    {
        HashResult hash = Hasher.HashOutOfLine(frame, kind);
        return new RssDecision(hash, SelectQueue(hash, queueCount));
    }

    /// <summary>The queue of a packet with hash <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe int QueueOf(uint value, int queueCount)
    {
        if (queueCount <= 0)
        {
            return 0;
        }

        // The mask is the table length minus one (a power of two), so the entry is always inside the table. The read
        // goes through the pinned table's raw address, which does not keep this object or the table alive: a steering
        // made for one call and dropped could otherwise lose its table while the entry is read.
        int entry = ((ushort*)_entries)[value & (uint)_mask];
        GC.KeepAlive(this);
        return Wrap(entry, queueCount);
    }

    // Entries beyond the attached queues wrap, as the kernel series does; entries are non-negative and a table
    // usually fits the queues already, so the costly division is skipped then.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Wrap(int entry, int queueCount) => entry < queueCount ? entry : entry % queueCount;
}
