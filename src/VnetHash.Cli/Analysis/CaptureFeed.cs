using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// The reading side of an analysis: each packet a capture yields (from a file, standard input or a live
/// interface) that passes the filter goes through every analyzer (outcome, then counters) and, when asked, into
/// the CSV. A capture that is cut short or damaged ends with a <see cref="CaptureProblem"/>; what was read before it
/// stays counted, and the next capture is read. Without a CSV (whose rows follow the capture's order) or a filter, and
/// on more than one core, a large capture file is read in segments on every core (<see cref="SegmentedAnalysis"/>);
/// anything else read from a file or a stream is analysed on every core while this thread reads it
/// (<see cref="ParallelAnalysis"/>). The counts are the same either way.
/// </summary>
internal sealed class CaptureFeed
{
    // How often (in packets) the progress display moves and Ctrl-C is looked for.
    private const int CheckEvery = 1024;

    private readonly IReadOnlyList<CaptureAnalyzer> _analyzers;
    private readonly PacketCsvWriter? _csv;
    private readonly PacketFilter? _filter;
    private readonly List<CaptureProblem> _problems = [];
    private readonly int _workers;
    private readonly int _segmentBytes;

    /// <param name="analyzers">The analyses each packet goes through.</param>
    /// <param name="csv">Where each packet's row goes, if anywhere.</param>
    /// <param name="workers">Threads that analyse the packets of files beside the reading one (0: the reader alone).</param>
    /// <param name="filter">The filter packets read from files must pass (a live capture filters in the kernel).</param>
    /// <param name="segmentBytes">The size of the segments a file is read in by several threads (see <see cref="CaptureSegments"/>).</param>
    public CaptureFeed(IReadOnlyList<CaptureAnalyzer> analyzers, PacketCsvWriter? csv, int workers, PacketFilter? filter = null, int segmentBytes = CaptureSegments.SegmentBytes)
    {
        _segmentBytes = segmentBytes;
        _analyzers = analyzers;
        _csv = csv;
        // The CSV's rows follow the capture's order, and a table suggestion's per-entry loads are kept by the
        // analyzer itself, not in mergeable counters: either way one thread analyses.
        _workers = csv is null && analyzers.All(a => a.Loads is null) ? workers : 0;
        _filter = filter;
    }

    /// <summary>Packets analysed so far, over every capture.</summary>
    public long Packets { get; private set; }

    /// <summary>Packets read so far, the filter's rejects included.</summary>
    public long PacketsRead { get; private set; }

    public IReadOnlyList<CaptureProblem> Problems => _problems;

    /// <summary>Reads <paramref name="source"/> to its end or its first damage; <paramref name="progress"/> receives bytes read.</summary>
    /// <exception cref="OperationCanceledException">Interrupted; everything read so far is counted.</exception>
    public void Read(CaptureSource source, Action<long>? progress, CancellationToken token)
    {
        if (_workers > 0 && _filter is null && source.Path is string path)
        {
            long? counted = SegmentedAnalysis.TryRun(path, _analyzers, _workers + 1, progress, token, _segmentBytes);
            Packets += counted ?? 0;
            PacketsRead += counted ?? 0;
            token.ThrowIfCancellationRequested();
            if (counted is not null)
            {
                return;
            }
        }

        long before = Packets;
        using Stream stream = source.Open();
        CaptureReader? reader = null;
        using ParallelAnalysis? parallel = _workers > 0 ? new ParallelAnalysis(_analyzers, _workers) : null;
        try
        {
            reader = CaptureReader.Open(stream, leaveOpen: true);
            while (reader.TryReadPacket(out CapturedPacket packet))
            {
                if (PacketsRead % CheckEvery == 0)
                {
                    token.ThrowIfCancellationRequested();
                    progress?.Invoke(stream.CanSeek ? stream.Position : reader.Position);
                }

                PacketsRead++;
                if (_filter is not null && !_filter.Matches(in packet))
                {
                    continue;
                }

                if (parallel is not null)
                {
                    parallel.Add(packet.Data, packet.LinkType, packet.OriginalLength);
                    Packets++;
                }
                else
                {
                    Add(in packet);
                }
            }
        }
        catch (CaptureFormatException e)
        {
            _problems.Add(new CaptureProblem(source.Name, e.Offset, e.Reason, e.IsCutShort, reader?.IsCompressed ?? false, Packets - before, reader is not null));
        }
        finally
        {
            // Whatever was read is counted, also when reading stopped at damage or an interruption.
            parallel?.Complete();
            reader?.Dispose();
        }
    }

    /// <summary>
    /// Reads a live capture until <paramref name="count"/> packets were analysed, <paramref name="duration"/>
    /// passed, or <paramref name="token"/> is cancelled (then <see cref="OperationCanceledException"/>, with
    /// everything read so far counted).
    /// </summary>
    public void Read(LiveCapture capture, long? count, TimeSpan? duration, CancellationToken token)
    {
        long end = duration is TimeSpan limit ? Environment.TickCount64 + (long)Math.Ceiling(limit.TotalMilliseconds) : long.MaxValue;
        while (Packets < (count ?? long.MaxValue) && Environment.TickCount64 < end)
        {
            token.ThrowIfCancellationRequested();
            if (capture.TryReadPacket(out CapturedPacket packet))
            {
                PacketsRead++;
                Add(in packet);
            }
        }
    }

    private void Add(in CapturedPacket packet)
    {
        PacketOutcome outcome = _analyzers[0].Add(packet.Data, packet.LinkType, packet.OriginalLength);
        for (int i = 1; i < _analyzers.Count; i++)
        {
            _analyzers[i].Add(packet.Data, packet.LinkType, packet.OriginalLength);
        }

        _csv?.Write(Packets, packet.TimestampNanoseconds, packet.Data, in outcome);
        Packets++;
    }
}
