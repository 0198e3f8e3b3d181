using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Benchmarks.Prediction;

/// <summary>
/// Which of the 65,536 source ports of a TCP/IPv4 flow land on queue 3 of 8: <see cref="RssPredictor"/>'s walk
/// (one XOR per port, by Toeplitz linearity; its preparation included) against hashing every candidate, as a
/// program without the predictor would: through the hash rules per tuple, per packed 12-byte input, or in one
/// batch over inputs packed beforehand (packing not timed). Each returns the number of ports found, and all agree.
/// </summary>
[MemoryDiagnoser]
public class PredictorWalkBenchmarks
{
    private const int Queue = 3;
    private const int Queues = 8;
    private const int Ports = 65536;

    private static readonly IPAddress Source = IPAddress.Parse("198.51.100.20");
    private static readonly IPAddress Destination = IPAddress.Parse("192.0.2.80");

    private RssConfiguration _configuration = null!;
    private RssSteering _steering = null!;
    private ToeplitzKey _key = null!;
    private ushort[] _table = [];
    private byte[] _packed = [];
    private uint[] _hashes = [];

    [GlobalSetup]
    public void Setup()
    {
        _table = EthtoolTable.Parse($"equal {Queues}", 128, Queues);
        _configuration = RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, _table);
        _steering = new RssSteering(_configuration);
        _key = new ToeplitzKey(ToeplitzKey.MicrosoftKey);
        _packed = new byte[Ports * HashInput.IPv4WithPortsLength];
        _hashes = new uint[Ports];
        for (int port = 0; port < Ports; port++)
        {
            Pack(_packed.AsSpan(port * HashInput.IPv4WithPortsLength, HashInput.IPv4WithPortsLength), (ushort)port);
        }

        int[] counts = [Walk(), HashEachTuple(), HashEachInput(), HashBatch()];
        if (counts.Distinct().Count() != 1)
        {
            throw new InvalidOperationException($"the ways disagree: {string.Join(", ", counts)}");
        }
    }

    [Benchmark(Baseline = true)]
    public int Walk()
    {
        var predictor = new RssPredictor(_configuration, Queues, new RssTuple(Source, Destination, TransportProtocol.Tcp, 0, 443), TupleField.SourcePort);
        int count = 0;
        foreach (UInt128 unused in predictor.Candidates(Queue, 0, Ports - 1))
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public int HashEachTuple()
    {
        int count = 0;
        for (int port = 0; port < Ports; port++)
        {
            var tuple = new RssTuple(Source, Destination, TransportProtocol.Tcp, (ushort)port, 443);
            count += tuple.Decide(_steering, Queues).Queue == Queue ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public int HashEachInput()
    {
        Span<byte> input = stackalloc byte[HashInput.IPv4WithPortsLength];
        int count = 0;
        for (int port = 0; port < Ports; port++)
        {
            Pack(input, (ushort)port);
            count += _table[_key.Hash(input) & 127] % Queues == Queue ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public int HashBatch()
    {
        _key.HashBatch(_packed, HashInput.IPv4WithPortsLength, HashInput.IPv4WithPortsLength, _hashes);
        int count = 0;
        foreach (uint hash in _hashes)
        {
            count += _table[hash & 127] % Queues == Queue ? 1 : 0;
        }

        return count;
    }

    private static void Pack(Span<byte> input, ushort sourcePort)
    {
        Source.TryWriteBytes(input, out _);
        Destination.TryWriteBytes(input[4..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(input[8..], sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(input[10..], 443);
    }
}
