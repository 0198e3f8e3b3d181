using System.Globalization;
using System.Text;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Tap.Reading;

namespace VnetHash.Cli.Commands;

/// <summary>
/// What <c>tap run</c> does with each batch, on the reader's thread: with <c>--count N</c> it takes exactly N frames
/// over all queues (a batch reserves what it may take in one atomic step) and counts the rest as over the count;
/// with <c>--packets</c> it prints one line per frame taken, never before the ready line.
/// </summary>
internal sealed class TapRunDelivery(int queues, long? limit, TextWriter? packetOutput, Action limitReached) : IDisposable
{
    private const int FrameHexBytes = 128;
    private readonly long[] _overCount = new long[queues];
    private readonly ManualResetEventSlim _ready = new();
    private long _remaining = limit ?? long.MaxValue;

    public long TotalOverCount
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _overCount.Length; i++)
            {
                total += Volatile.Read(ref _overCount[i]);
            }

            return total;
        }
    }

    /// <summary>Frames of queue <paramref name="queue"/> the readers delivered beyond <c>--count</c>.</summary>
    public long OverCount(int queue) => Volatile.Read(ref _overCount[queue]);

    public void Dispose() => _ready.Dispose();

    /// <summary>The ready line is out: packet lines may follow.</summary>
    public void Ready() => _ready.Set();

    public void OnBatch(TapFrameBatch batch)
    {
        int take = Reserve(batch.Count);
        for (int i = take; i < batch.Count; i++)
        {
            Interlocked.Increment(ref _overCount[batch[i].Queue]);
        }

        if (packetOutput is not null && take > 0)
        {
            Print(batch, take);
        }

        if (limit is not null && take > 0 && Volatile.Read(ref _remaining) == 0)
        {
            limitReached();
        }
    }

    /// <summary>How many frames of a batch of <paramref name="count"/> fall within the limit.</summary>
    private int Reserve(int count)
    {
        if (limit is null)
        {
            return count;
        }

        while (true)
        {
            long remaining = Volatile.Read(ref _remaining);
            long take = Math.Min(remaining, count);
            if (take == 0 || Interlocked.CompareExchange(ref _remaining, remaining - take, remaining) == remaining)
            {
                return (int)take;
            }
        }
    }

    /// <summary>One JSON line per frame, a tcpdump of the steering that a script can check; a batch's lines never interleave with another's.</summary>
    private void Print(TapFrameBatch batch, int count)
    {
        _ready.Wait();
        var lines = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            TapFrameView frame = batch[i];
            HashResult hash = frame.Hash;
            int length = frame.Frame.Length;
            string bytes = Convert.ToHexStringLower(frame.Frame[..Math.Min(length, FrameHexBytes)]);
            lines.Append(CultureInfo.InvariantCulture, $"{{\"queue\":{frame.Queue},\"hash\":\"{hash.Value:x8}\",\"report\":\"{ReportNames.Name(hash.Report)}\",\"report_value\":{(int)hash.Report},\"length\":{length},\"frame\":\"{bytes}\"}}\n");
        }

        TextWriter output = packetOutput!;
        lock (output)
        {
            output.Write(lines);
            output.Flush();
        }
    }
}
