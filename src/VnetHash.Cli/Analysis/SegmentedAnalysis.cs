using System.Runtime.ExceptionServices;
using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Analyses a capture file on every core, each thread reading segments of the file itself
/// (<see cref="CaptureSegments"/>) and counting into counters of its own, merged when all segments are read: no
/// thread hands packets to another, and each reads its bytes into a buffer in its own core's cache. When the segments
/// do not join into one reading of the file (damage, a new pcapng section or interface after the first packet, a
/// wrong guess at a segment's first record), nothing is counted and the caller reads the file from its start, which
/// reports any damage where it is.
/// </summary>
internal static class SegmentedAnalysis
{
    /// <summary>
    /// Analyses <paramref name="path"/> on <paramref name="threads"/> threads (this one among them) and returns the
    /// packets counted, or null when the file is to be read from its start instead (nothing counted then). On
    /// cancellation, what was analysed is counted and <see cref="OperationCanceledException"/> follows.
    /// </summary>
    public static long? TryRun(string path, IReadOnlyList<CaptureAnalyzer> analyzers, int threads, Action<long>? progress, CancellationToken token, int segmentBytes = CaptureSegments.SegmentBytes)
    {
        using CaptureSegments? segments = CaptureSegments.TryOpen(path, segmentBytes, threads);
        if (segments is null)
        {
            return null;
        }

        int next = -1;
        int failed = 0;

        // Each thread makes its own buffer and counters (see AnalysisShare).
        Task<Worker>[] others = [.. Enumerable.Range(1, threads - 1).Select(_ => Task.Factory.StartNew(() => Read(null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        Worker? own = null;
        Exception? error = null;
        try
        {
            own = Read(progress);
        }
        catch (Exception e)
        {
            error = e;
        }

        // Every thread stops before the file they read is closed; then the first failure (an I/O error) is thrown.
        try
        {
            Task.WaitAll(others, CancellationToken.None);
        }
        catch (AggregateException)
        {
        }

        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        Worker[] workers = [own!, .. others.Select(t => t.GetAwaiter().GetResult())];

        // Interrupted, what was read counts, unless a segment was seen to go wrong (its counts may be of a wrong guess).
        if (failed != 0 || (!token.IsCancellationRequested && !segments.Joins()))
        {
            return null;
        }

        long packets = 0;
        foreach (Worker worker in workers)
        {
            worker.Share.MergeIntoAnalyzers();
            packets += worker.Packets;
        }

        return packets;

        Worker Read(Action<long>? progress)
        {
            var worker = new Worker(analyzers);
            try
            {
                int index;
                while (Volatile.Read(ref failed) == 0 && !token.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < segments.Count)
                {
                    progress?.Invoke(segments.StartOf(index));
                    if (!segments.Read(index, worker.Buffer, worker.Analyze))
                    {
                        Volatile.Write(ref failed, 1);
                    }
                }
            }
            catch
            {
                // An I/O error: the other threads stop at their next segment.
                Volatile.Write(ref failed, 1);
                throw;
            }

            return worker;
        }
    }

    /// <summary>One thread's buffer and counters.</summary>
    private sealed class Worker
    {
        // Packets handed over at a time: enough that a batch's loop runs long, few enough that their slots stay in cache.
        private const int BatchPackets = 256;

        private readonly BufferedPacket[] _batch = new BufferedPacket[BatchPackets];
        private readonly PacketBatchHandler _count;

        public Worker(IReadOnlyList<CaptureAnalyzer> analyzers)
        {
            Share = new AnalysisShare(analyzers);
            _count = Share.Count;
        }

        public AnalysisShare Share { get; }

        public byte[] Buffer { get; } = new byte[CaptureInput.SegmentBufferLength];

        public long Packets { get; private set; }

        public void Analyze(CaptureReader reader) => Packets += reader.ReadBatches(_batch, _count);
    }
}
