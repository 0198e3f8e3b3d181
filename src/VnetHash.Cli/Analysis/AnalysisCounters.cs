using System.Numerics;
using System.Runtime.CompilerServices;
using VnetHash.Hashing;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// The counts of an analysis: per queue, per hash type and per noted fact, plus the distinct flows and the
/// direction symmetry of connections. Bounded however long the capture; two sets of counters of the same queue count merge into their union, so packets
/// can be counted in parts (by several readers) and added up.
/// </summary>
public sealed class AnalysisCounters
{
    /// <summary>The encapsulation type bits (<see cref="TunnelTypes.All"/>).</summary>
    public const int TunnelTypeBits = 9;

    private readonly QueueStatistics[] _queues;
    private readonly long[] _reports = new long[10];
    private readonly long[] _notes = new long[Enum.GetValues<PacketNote>().Length];
    private readonly long[] _inner = new long[TunnelTypeBits];
    private readonly long[] _outerOnly = new long[TunnelTypeBits];

    public AnalysisCounters(int queueCount)
    {
        _queues = new QueueStatistics[queueCount];
        for (int i = 0; i < queueCount; i++)
        {
            _queues[i] = new QueueStatistics(i);
        }
    }

    public IReadOnlyList<QueueStatistics> Queues => _queues;

    /// <summary>Packets counted: the sum of the queues' (a packet adds to its queue's count only).</summary>
    public long Packets => _queues.Sum(q => q.Packets);

    /// <summary>Bytes counted (original lengths): the sum of the queues'.</summary>
    public long Bytes => _queues.Sum(q => q.Bytes);

    /// <summary>
    /// The distinct flows of every queue: the union of the queues' counters, taken when asked (a union is what one
    /// counter of every packet would hold, and it spares each packet a second counter's update).
    /// </summary>
    public FlowCounter Flows
    {
        get
        {
            var all = new FlowCounter();
            foreach (QueueStatistics queue in _queues)
            {
                all.Merge(queue.Flows);
            }

            return all;
        }
    }

    /// <summary>Connections seen both ways, and whether their directions share a queue.</summary>
    public DirectionSymmetry Symmetry { get; } = new();

    /// <summary>Packets per hash report value 0..9.</summary>
    public ReadOnlySpan<long> ReportCounts => _reports;

    public long CountOf(PacketNote note) => _notes[(int)note];

    /// <summary>Packets hashed on their inner packet (the outer header matched an enabled encapsulation type).</summary>
    public long InnerHashed { get; private set; }

    /// <summary>Packets whose outer header matched an encapsulation type, none of them enabled: hashed on the outer header.</summary>
    public long OuterOnlyTunnels { get; private set; }

    /// <summary>Per encapsulation type bit, packets hashed on the inner packet that matched it (a packet may match several).</summary>
    public ReadOnlySpan<long> InnerHashedByType => _inner;

    /// <summary>Per encapsulation type bit, packets that matched it while it was not enabled.</summary>
    public ReadOnlySpan<long> OuterOnlyByType => _outerOnly;

    public void Add(in PacketOutcome outcome) =>
        Add(outcome.Queue, outcome.Length, outcome.Flow, outcome.Connection, outcome.Hash.Report, outcome.Note, outcome.Info.Tunnel, outcome.OuterOnly);

    /// <summary>Counts one packet from the parts of its outcome (see <see cref="PacketOutcome"/>) that counters keep.</summary>
    /// <remarks>
    /// The per-packet adds of the queue's statistics, the flow counters and the direction symmetry are inlined here:
    /// as calls (one per counter per packet, with their prologues) they cost the native analysis about 3 % of its CPU
    /// time, and with the plain shortcut's hash inlined as well, 7 % (docs/performance.md, "Against a C peer").
    /// The flow of a packet with a connection is <see cref="FlowKey.Directed"/> of the connection, derived here, and
    /// only for a packet the direction symmetry has not seen in its direction on its queue: the queue's flow counter
    /// holds the flow of any other already, and the add would change nothing.
    /// </remarks>
    /// <param name="queue">The packet's queue.</param>
    /// <param name="length">The packet's original length.</param>
    /// <param name="flow">The flow of a packet without a connection (a fragment: its addresses); read only where <paramref name="connection"/> is 0.</param>
    /// <param name="connection">The packet's connection (<see cref="FlowKey.Connection(ReadOnlySpan{byte}, in Packets.PacketInfo)"/>), 0 where it has none.</param>
    /// <param name="report">The hash report.</param>
    /// <param name="note">What the warnings should know.</param>
    /// <param name="innerHashed">The encapsulation types hashed inside.</param>
    /// <param name="outerOnly">The encapsulation types matched but not enabled.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int queue, int length, ulong flow, ulong connection, HashReport report, PacketNote note, TunnelTypes innerHashed, TunnelTypes outerOnly)
    {
        if (connection != 0)
        {
            flow = Symmetry.Add(connection, queue) ? 0 : FlowKey.Directed(connection);
        }

        _queues[queue].Add(length, flow);

        _reports[(int)report]++;
        _notes[(int)note]++;
        if (innerHashed != TunnelTypes.None)
        {
            InnerHashed += Count(_inner, innerHashed);
        }

        if (outerOnly != TunnelTypes.None)
        {
            OuterOnlyTunnels += Count(_outerOnly, outerOnly);
        }
    }

    /// <summary>
    /// Counts a plain TCP or UDP packet (<see cref="PacketAnalysis.TryDecidePlain"/>): no note and not hashed inside a
    /// tunnel; <paramref name="outerOnly"/> holds the tunnel types its UDP port and header matched while not enabled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddPlain(int queue, int length, ulong flow, ulong connection, HashReport report, TunnelTypes outerOnly) =>
        Add(queue, length, flow, connection, report, PacketNote.None, TunnelTypes.None, outerOnly);

    // One count per type bit the packet matched: a walk over the set bits (most packets match one), not over all nine.
    private static int Count(long[] byType, TunnelTypes types)
    {
        for (uint rest = (uint)types & ((1u << TunnelTypeBits) - 1); rest != 0; rest &= rest - 1)
        {
            byType[BitOperations.TrailingZeroCount(rest)]++;
        }

        return 1;
    }

    /// <summary>Adds what <paramref name="other"/> counted.</summary>
    public void Merge(AnalysisCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._queues.Length != _queues.Length)
        {
            throw new ArgumentException($"Counters of {other._queues.Length} queues cannot merge into counters of {_queues.Length}.", nameof(other));
        }

        for (int i = 0; i < _queues.Length; i++)
        {
            _queues[i].Merge(other._queues[i]);
        }

        Symmetry.Merge(other.Symmetry);
        for (int i = 0; i < _reports.Length; i++)
        {
            _reports[i] += other._reports[i];
        }

        for (int i = 0; i < _notes.Length; i++)
        {
            _notes[i] += other._notes[i];
        }

        for (int i = 0; i < TunnelTypeBits; i++)
        {
            _inner[i] += other._inner[i];
            _outerOnly[i] += other._outerOnly[i];
        }

        InnerHashed += other.InnerHashed;
        OuterOnlyTunnels += other.OuterOnlyTunnels;
    }

    /// <summary>Packets of report <paramref name="report"/>.</summary>
    public long CountOf(HashReport report) => _reports[(int)report];
}
