using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// The reading side of an analysis: each packet a capture yields goes through every analyzer (outcome, then
/// counters) and, when asked, into the CSV. A capture that is cut short or damaged ends with a
/// <see cref="CaptureProblem"/>; what was read before it stays counted, and the next capture is read.
/// </summary>
internal sealed class CaptureFeed
{
    // How often (in packets) the progress display moves and Ctrl-C is looked for.
    private const int CheckEvery = 1024;

    private readonly IReadOnlyList<CaptureAnalyzer> _analyzers;
    private readonly PacketCsvWriter? _csv;
    private readonly List<CaptureProblem> _problems = [];

    public CaptureFeed(IReadOnlyList<CaptureAnalyzer> analyzers, PacketCsvWriter? csv)
    {
        _analyzers = analyzers;
        _csv = csv;
    }

    /// <summary>Packets read so far, over every capture.</summary>
    public long Packets { get; private set; }

    public IReadOnlyList<CaptureProblem> Problems => _problems;

    /// <summary>Reads <paramref name="source"/> to its end or its first damage; <paramref name="progress"/> receives bytes read.</summary>
    /// <exception cref="OperationCanceledException">Interrupted; everything read so far is counted.</exception>
    public void Read(CaptureSource source, Action<long>? progress, CancellationToken token)
    {
        long before = Packets;
        using Stream stream = source.Open();
        CaptureReader? reader = null;
        try
        {
            reader = CaptureReader.Open(stream, leaveOpen: true);
            while (reader.TryReadPacket(out CapturedPacket packet))
            {
                if (Packets % CheckEvery == 0)
                {
                    token.ThrowIfCancellationRequested();
                    progress?.Invoke(stream.CanSeek ? stream.Position : reader.Position);
                }

                PacketOutcome outcome = _analyzers[0].Add(packet.Data, packet.LinkType, packet.OriginalLength);
                for (int i = 1; i < _analyzers.Count; i++)
                {
                    _analyzers[i].Add(packet.Data, packet.LinkType, packet.OriginalLength);
                }

                _csv?.Write(Packets, packet.TimestampNanoseconds, packet.Data, in outcome);
                Packets++;
            }
        }
        catch (CaptureFormatException e)
        {
            _problems.Add(new CaptureProblem(source.Name, e.Offset, e.Reason, e.IsCutShort, reader?.IsCompressed ?? false, Packets - before, reader is not null));
        }
        finally
        {
            reader?.Dispose();
        }
    }
}
