using BenchmarkDotNet.Attributes;
using VnetHash.Hashing;

namespace VnetHash.Benchmarks.Toeplitz;

/// <summary>The two baselines the prepared key is measured against, per hash, on the same random tuples.</summary>
[MemoryDiagnoser]
public class ToeplitzBaselineBenchmarks
{
    private SetBitLoopToeplitz _setBitLoop = null!;
    private ByteTableToeplitz _byteTable = null!;
    private byte[] _inputs = [];

    [Params(HashInput.IPv4WithPortsLength, HashInput.IPv6WithPortsLength)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _setBitLoop = new SetBitLoopToeplitz(ToeplitzKey.MicrosoftKey);
        _byteTable = new ByteTableToeplitz(ToeplitzKey.MicrosoftKey);
        _inputs = ToeplitzInputs.Packed(Length);
        ToeplitzInputs.Verify("SetBitLoop", _inputs, Length, input => _setBitLoop.Hash(input.Span));
        ToeplitzInputs.Verify("ByteTable", _inputs, Length, input => _byteTable.Hash(input.Span));
    }

    [Benchmark(OperationsPerInvoke = ToeplitzInputs.Count)]
    public uint SetBitLoop() => ToeplitzInputs.HashEach(new SetBitLoopHasher(_setBitLoop), _inputs, Length);

    [Benchmark(OperationsPerInvoke = ToeplitzInputs.Count)]
    public uint ByteTable() => ToeplitzInputs.HashEach(new ByteTableHasher(_byteTable), _inputs, Length);
}
