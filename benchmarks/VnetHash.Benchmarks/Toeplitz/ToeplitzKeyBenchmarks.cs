using BenchmarkDotNet.Attributes;
using VnetHash.Hashing;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>
/// <see cref="ToeplitzKey"/> per hash for every path this CPU supports: one call per packed tuple, one batch call
/// for all of them, and the tuple entry points reading addresses and ports in place from frames.
/// </summary>
[MemoryDiagnoser]
public class ToeplitzKeyBenchmarks
{
    private ToeplitzKey _key = null!;
    private byte[] _inputs = [];
    private byte[] _frames = [];
    private uint[] _hashes = [];
    private (int Addresses, int AddressesLength, int Ports) _layout;

    [Params(HashInput.IPv4WithPortsLength, HashInput.IPv6WithPortsLength)]
    public int Length { get; set; }

    [ParamsSource(nameof(Paths))]
    public ToeplitzImplementation Path { get; set; }

    public static IEnumerable<ToeplitzImplementation> Paths => ToeplitzKey.AvailableImplementations;

    [GlobalSetup]
    public void Setup()
    {
        _key = new ToeplitzKey(ToeplitzKey.MicrosoftKey, Path);
        _inputs = ToeplitzInputs.Packed(Length);
        _frames = ToeplitzInputs.Frames(Length);
        _hashes = new uint[ToeplitzInputs.Count];
        _layout = ToeplitzInputs.TupleLayout(Length);
        ToeplitzInputs.Verify(Path.ToString(), _inputs, Length, input => _key.Hash(input.Span));
    }

    [Benchmark(OperationsPerInvoke = ToeplitzInputs.Count)]
    public uint Hash() => ToeplitzInputs.HashEach(new PreparedKeyHasher(_key), _inputs, Length);

    [Benchmark(OperationsPerInvoke = ToeplitzInputs.Count)]
    public uint[] HashBatch()
    {
        _key.HashBatch(_inputs, Length, Length, _hashes);
        return _hashes;
    }

    [Benchmark(OperationsPerInvoke = ToeplitzInputs.Count)]
    public uint HashTupleInPlace()
    {
        uint sum = 0;
        (int addresses, int addressesLength, int ports) = _layout;
        for (int i = 0; i < ToeplitzInputs.Count; i++)
        {
            ReadOnlySpan<byte> frame = _frames.AsSpan(i * ToeplitzInputs.FrameLength, ToeplitzInputs.FrameLength);
            sum ^= addressesLength == 8
                ? _key.HashIPv4(frame.Slice(addresses, addressesLength), frame.Slice(ports, 4))
                : _key.HashIPv6(frame.Slice(addresses, addressesLength), frame.Slice(ports, 4));
        }

        return sum;
    }
}
