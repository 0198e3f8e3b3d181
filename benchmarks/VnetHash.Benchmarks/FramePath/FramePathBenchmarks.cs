using BenchmarkDotNet.Attributes;
using VnetHash.Cli.Benchmarks;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Benchmarks.FramePath;

/// <summary>
/// The whole per-packet path of the core: one Ethernet frame to its hash, report, queue and the hash fields of
/// the 20-byte <c>virtio_net_hdr_v1_hash</c>, under the default configuration (all types, Microsoft key,
/// 128-entry round-robin table over four queues). <see cref="Dissect"/> and <see cref="Hash"/> split the same
/// path into its parts so a slow total can be attributed to the dissector or to the hash.
/// </summary>
[MemoryDiagnoser]
public class FramePathBenchmarks
{
    private const int QueueCount = 4;

    private RssSteering _steering = null!;
    private ReadBatch _batch = null!;

    [ParamsAllValues]
    public FramePathFamily Family { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _steering = new RssSteering(RssConfiguration.RoundRobin(QueueCount));
        _batch = FramePathFrames.Build(Family);
        FramePathFrames.Verify(_steering, Family, _batch);
    }

    /// <summary>Frame to hash, report, queue and header hash fields: the call a TAP reader makes per packet.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = FramePathFrames.Count)]
    public int Decide()
    {
        int queues = 0;
        for (int i = 0; i < FramePathFrames.Count; i++)
        {
            queues += _steering.Decide(_batch.Frame(i), FrameKind.Ethernet, QueueCount, _batch.Header(i)).Queue;
        }

        return queues;
    }

    /// <summary>Frame to hash and report (dissector and Toeplitz, no queue or header).</summary>
    [Benchmark(OperationsPerInvoke = FramePathFrames.Count)]
    public uint Hash()
    {
        uint sum = 0;
        PacketHasher hasher = _steering.Hasher;
        for (int i = 0; i < FramePathFrames.Count; i++)
        {
            sum ^= hasher.Hash(_batch.Frame(i), FrameKind.Ethernet).Value;
        }

        return sum;
    }

    /// <summary>The dissector alone.</summary>
    [Benchmark(OperationsPerInvoke = FramePathFrames.Count)]
    public int Dissect()
    {
        int sum = 0;
        for (int i = 0; i < FramePathFrames.Count; i++)
        {
            sum += PacketDissector.Dissect(_batch.Frame(i), FrameKind.Ethernet).PortsOffset;
        }

        return sum;
    }
}
