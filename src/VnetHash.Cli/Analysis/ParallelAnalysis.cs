using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// Analyses packets on every core while one thread reads the capture: the reader copies packets into batches,
/// workers steer them with each analyzer's stateless <see cref="PacketAnalysis"/> and count into counters of their
/// own, and <see cref="Complete"/> merges those into the analyzers' counters. A fixed number of batches circulates
/// between the reader and the workers, so memory stays constant however long the capture: when the workers fall
/// behind, the reader waits for a batch to come back.
/// </summary>
internal sealed class ParallelAnalysis : IDisposable
{
    private const int BatchBytes = 256 * 1024;
    private const int BatchPackets = 2048;

    private readonly IReadOnlyList<CaptureAnalyzer> _analyzers;
    private readonly BlockingCollection<PacketBatch> _full;
    private readonly BlockingCollection<PacketBatch> _free;
    private readonly Task<AnalysisCounters[]>[] _workers;
    private PacketBatch? _current;
    private bool _completed;

    public ParallelAnalysis(IReadOnlyList<CaptureAnalyzer> analyzers, int workers)
    {
        _analyzers = analyzers;
        int batches = (2 * workers) + 1;
        _full = new BlockingCollection<PacketBatch>(batches);
        _free = new BlockingCollection<PacketBatch>(batches);
        for (int i = 0; i < batches; i++)
        {
            _free.Add(new PacketBatch());
        }

        _workers = new Task<AnalysisCounters[]>[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Worker threads to use on this machine: every logical CPU, or none (read and analyse on one thread) on one.</summary>
    public static int WorkersForThisMachine => Environment.ProcessorCount > 1 ? Environment.ProcessorCount : 0;

    /// <summary>Queues one packet for analysis (its bytes are copied).</summary>
    public void Add(ReadOnlySpan<byte> data, LinkType linkType, int originalLength)
    {
        _current ??= _free.Take();
        if (!_current.TryAdd(data, linkType, originalLength))
        {
            _full.Add(_current);
            _current = _free.Take();
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
        if (_current is { Count: > 0 })
        {
            _full.Add(_current);
        }

        _current = null;
        _full.CompleteAdding();
        foreach (Task<AnalysisCounters[]> worker in _workers)
        {
            AnalysisCounters[] counted = worker.GetAwaiter().GetResult();
            for (int i = 0; i < _analyzers.Count; i++)
            {
                _analyzers[i].Counters.Merge(counted[i]);
            }
        }
    }

    public void Dispose()
    {
        _full.Dispose();
        _free.Dispose();
    }

    private AnalysisCounters[] Work()
    {
        try
        {
            return Count();
        }
        catch
        {
            // No batch will come back from this worker: make the reader's next wait for one fail instead of hang.
            _free.CompleteAdding();
            throw;
        }
    }

    // Compiled fully optimised at once: it runs for the whole capture, and tiered compilation would first run it
    // unoptimised for a good part of it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private AnalysisCounters[] Count()
    {
        var counters = new AnalysisCounters[_analyzers.Count];
        var analyses = new PacketAnalysis[_analyzers.Count];
        for (int i = 0; i < counters.Length; i++)
        {
            counters[i] = new AnalysisCounters(_analyzers[i].QueueCount);
            analyses[i] = _analyzers[i].Analysis;
        }

        foreach (PacketBatch batch in _full.GetConsumingEnumerable())
        {
            for (int p = 0; p < batch.Count; p++)
            {
                ReadOnlySpan<byte> data = batch.Data(p, out LinkType linkType, out int originalLength);
                for (int i = 0; i < analyses.Length; i++)
                {
                    PacketOutcome outcome = analyses[i].Analyze(data, linkType, originalLength);
                    counters[i].Add(in outcome);
                }
            }

            batch.Clear();
            _free.Add(batch);
        }

        return counters;
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
