using System.Globalization;
using System.Runtime.InteropServices;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Direction symmetry, what a stateful middlebox needs: of the connections seen in both directions, how many
/// land both directions on the same queue. Each connection (see <see cref="FlowKey.Connection"/>) keeps the
/// queue of the first packet of each direction. Exact up to <see cref="ExactLimit"/> connections; above that,
/// fixed memory by sampling on the connection hash: the connections whose hash starts with <see cref="SampleBits"/>
/// zero bits, one in 2^SampleBits, chosen the same way for every packet, so each sampled connection is whole.
/// </summary>
public sealed class DirectionSymmetry
{
    public const int ExactLimit = 1 << 16;

    private readonly int _limit;

    // Per connection: the queue + 1 each direction landed on, 0 while that direction is unseen.
    private readonly Dictionary<ulong, (int Forward, int Reverse)> _connections = [];

    public DirectionSymmetry(int limit = ExactLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>The sample keeps one connection in 2^SampleBits; 0 while every connection is kept.</summary>
    public int SampleBits { get; private set; }

    /// <summary>Connections seen in both directions (in the sample).</summary>
    public long BothDirections => _connections.Values.LongCount(c => c.Forward != 0 && c.Reverse != 0);

    /// <summary>Connections seen in both directions (in the sample) whose two directions landed on one queue.</summary>
    public long SameQueue => _connections.Values.LongCount(c => c.Forward != 0 && c.Forward == c.Reverse);

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

    /// <summary>Records a packet of <paramref name="connection"/> (bit 0: its direction) steered to <paramref name="queue"/>.</summary>
    public void Add(ulong connection, int queue)
    {
        ulong key = connection >> 1;
        if (!Sampled(key))
        {
            return;
        }

        ref (int Forward, int Reverse) entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_connections, key, out _);
        if ((connection & 1) == 0)
        {
            entry.Forward = entry.Forward == 0 ? queue + 1 : entry.Forward;
        }
        else
        {
            entry.Reverse = entry.Reverse == 0 ? queue + 1 : entry.Reverse;
        }

        Shrink();
    }

    /// <summary>Adds what <paramref name="other"/> recorded (the same connections seen by another reader).</summary>
    public void Merge(DirectionSymmetry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.SampleBits > SampleBits)
        {
            SampleBits = other.SampleBits;
            Prune();
        }

        foreach ((ulong key, (int forward, int reverse)) in other._connections)
        {
            if (!Sampled(key))
            {
                continue;
            }

            ref (int Forward, int Reverse) entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_connections, key, out _);
            entry.Forward = entry.Forward == 0 ? forward : entry.Forward;
            entry.Reverse = entry.Reverse == 0 ? reverse : entry.Reverse;
        }

        Shrink();
    }

    // Keys are 63 bits: the sample takes those whose top SampleBits bits are zero.
    private bool Sampled(ulong key) => SampleBits == 0 || key >> (63 - SampleBits) == 0;

    private void Shrink()
    {
        while (_connections.Count > _limit && SampleBits < 62)
        {
            SampleBits++;
            Prune();
        }
    }

    private void Prune()
    {
        foreach (ulong key in _connections.Keys.Where(k => !Sampled(k)).ToList())
        {
            _connections.Remove(key);
        }
    }
}
