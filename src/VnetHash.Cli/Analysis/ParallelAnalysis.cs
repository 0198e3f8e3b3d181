using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Analyses packets on every core while one thread reads the capture (a stream, a compressed or a small file, or a
/// file whose segments did not join; see <see cref="SegmentedAnalysis"/>): the reader copies packets into batches,
/// workers steer them with each analyzer's stateless <see cref="PacketAnalysis"/> and count into counters of their
/// own, and <see cref="Complete"/> merges those into the analyzers' counters. A fixed number of batches circulates
/// between the reader and the workers, so memory stays constant however long the capture: when no batch is free
/// (the workers are behind), the reader analyses the batch it filled itself instead of waiting, so every core
/// analyses whenever reading is not the slower part.
/// </summary>
internal sealed class ParallelAnalysis : IDisposable
{
    private const int BatchBytes = 256 * 1024;
    private const int BatchPackets = 2048;

    private readonly IReadOnlyList<CaptureAnalyzer> _analyzers;
    private readonly BlockingCollection<PacketBatch> _full;
    private readonly BlockingCollection<PacketBatch> _free;
    private readonly Task<AnalysisShare>[] _workers;
    private readonly AnalysisShare _readerShare;
    private PacketBatch _current = new();
    private bool _completed;

    public ParallelAnalysis(IReadOnlyList<CaptureAnalyzer> analyzers, int workers)
    {
        _analyzers = analyzers;
        _readerShare = new AnalysisShare(analyzers);

        // The reader holds one batch; two per worker let each have one queued while it analyses another.
        int batches = 2 * workers;
        _full = new BlockingCollection<PacketBatch>(batches);
        _free = new BlockingCollection<PacketBatch>(batches);
        for (int i = 0; i < batches; i++)
        {
            _free.Add(new PacketBatch());
        }

        _workers = new Task<AnalysisShare>[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = Task.Factory.StartNew(Count, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Worker threads to use on this machine: one per logical CPU beside the reader's, or none (read and analyse on
    /// one thread) on a single CPU.
    /// </summary>
    public static int WorkersForThisMachine => Environment.ProcessorCount - 1;

    /// <summary>Queues one packet for analysis (its bytes are copied).</summary>
    public void Add(ReadOnlySpan<byte> data, LinkType linkType, int originalLength)
    {
        if (!_current.TryAdd(data, linkType, originalLength))
        {
            Hand();
            if (!_current.TryAdd(data, linkType, originalLength))
            {
                // A packet larger than a whole batch (up to the reader's 16 MiB record limit): a batch of its own.
                _current.Grow(data.Length);
                _current.TryAdd(data, linkType, originalLength);
            }
        }
    }

    /// <summary>Analyses what is queued, stops the workers and adds their counts to the analyzers' counters.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Analyze(_current, _readerShare);
        _full.CompleteAdding();
        _readerShare.MergeIntoAnalyzers();
        foreach (Task<AnalysisShare> worker in _workers)
        {
            worker.GetAwaiter().GetResult().MergeIntoAnalyzers();
        }
    }

    public void Dispose()
    {
        _full.Dispose();
        _free.Dispose();
    }

    // The reader's full batch goes to the workers when a free one can take its place; otherwise every batch is queued
    // or being analysed, and the reader analyses this one itself.
    private void Hand()
    {
        if (_free.TryTake(out PacketBatch? next))
        {
            _full.Add(_current);
            _current = next;
        }
        else
        {
            Analyze(_current, _readerShare);
        }
    }

    private AnalysisShare Count()
    {
        var share = new AnalysisShare(_analyzers);
        foreach (PacketBatch batch in _full.GetConsumingEnumerable())
        {
            Analyze(batch, share);
            _free.Add(batch);
        }

        return share;
    }

    // Compiled fully optimised at once: it runs for the whole capture, and tiered compilation would first run it
    // unoptimised for a good part of it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Analyze(PacketBatch batch, AnalysisShare share)
    {
        for (int p = 0; p < batch.Count; p++)
        {
            ReadOnlySpan<byte> data = batch.Data(p, out LinkType linkType, out int originalLength);
            share.Count(data, linkType, originalLength);
        }

        batch.Clear();
    }

    /// <summary>Packets copied back to back into one buffer, with what the analysis needs of each.</summary>
    private sealed class PacketBatch
    {
        private readonly int[] _ends = new int[BatchPackets];
        private readonly int[] _originalLengths = new int[BatchPackets];
        private readonly LinkType[] _linkTypes = new LinkType[BatchPackets];
        private byte[] _bytes = new byte[BatchBytes];
        private int _used;

        public int Count { get; private set; }

        public bool TryAdd(ReadOnlySpan<byte> data, LinkType linkType, int originalLength)
        {
            if (Count == BatchPackets || data.Length > _bytes.Length - _used)
            {
                return false;
            }

            data.CopyTo(_bytes.AsSpan(_used));
            _used += data.Length;
            _ends[Count] = _used;
            _originalLengths[Count] = originalLength;
            _linkTypes[Count] = linkType;
            Count++;
            return true;
        }

        public void Grow(int length) => _bytes = new byte[Math.Max(length, _bytes.Length)];

        public ReadOnlySpan<byte> Data(int index, out LinkType linkType, out int originalLength)
        {
            linkType = _linkTypes[index];
            originalLength = _originalLengths[index];
            int start = index == 0 ? 0 : _ends[index - 1];
            return _bytes.AsSpan(start, _ends[index] - start);
        }

        public void Clear()
        {
            Count = 0;
            _used = 0;
            if (_bytes.Length > BatchBytes)
            {
                _bytes = new byte[BatchBytes];
            }
        }
    }
}
