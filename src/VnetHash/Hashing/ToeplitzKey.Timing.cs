using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VnetHash.Hashing;

// The loops ToeplitzPathChooser times. Each is compiled fully optimised on first call and inlines the same dispatch
// and kernels the public methods inline, so what is timed at start-up is the code the hot path runs once tiered
// compilation has optimised it; every kernel they reach without inlining is itself compiled fully optimised.
public sealed partial class ToeplitzKey
{
    private static uint s_timingSink;

    /// <summary>Stopwatch ticks this key takes for <paramref name="operation"/> over <see cref="ToeplitzPathChooser.Inputs"/> inputs.</summary>
    internal long Time(ToeplitzOperation operation, byte[] inputs, uint[] hashes)
    {
        Debug.Assert(inputs.Length >= ToeplitzPathChooser.Inputs * HashInput.IPv6WithPortsLength && MaxInputLength >= HashInput.IPv6WithPortsLength);
        return operation switch
        {
            ToeplitzOperation.Hash12 => TimeHash12(inputs),
            ToeplitzOperation.Hash36 => TimeHash36(inputs),
            ToeplitzOperation.HashOther => TimeHashOther(inputs),
            ToeplitzOperation.Batch12 => TimeBatch(inputs, HashInput.IPv4WithPortsLength, hashes),
            _ => TimeBatch(inputs, HashInput.IPv6WithPortsLength, hashes),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private long TimeHash12(byte[] inputs)
    {
        ref byte data = ref MemoryMarshal.GetArrayDataReference(inputs);
        long start = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int i = 0; i < ToeplitzPathChooser.Inputs * HashInput.IPv4WithPortsLength; i += HashInput.IPv4WithPortsLength)
        {
            ref byte input = ref Unsafe.Add(ref data, i);
            sum ^= Hash12(ref input, ref Unsafe.Add(ref input, IPv4AddressesLength), default);
        }

        return Elapsed(start, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private long TimeHash36(byte[] inputs)
    {
        ref byte data = ref MemoryMarshal.GetArrayDataReference(inputs);
        long start = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int i = 0; i < ToeplitzPathChooser.Inputs * HashInput.IPv6WithPortsLength; i += HashInput.IPv6WithPortsLength)
        {
            ref byte input = ref Unsafe.Add(ref data, i);
            sum ^= Hash36(ref input, ref Unsafe.Add(ref input, IPv6AddressesLength), default);
        }

        return Elapsed(start, sum);
    }

    // The general form as the hash rules use it: an address-only IPv4 input, and the pieces of an IPv6 tuple whose
    // addresses come from extension headers, each at its input offset.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private long TimeHashOther(byte[] inputs)
    {
        ToeplitzImplementation path = _paths.HashOther;
        long start = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int i = 0; i < ToeplitzPathChooser.Inputs * HashInput.IPv6WithPortsLength; i += HashInput.IPv6WithPortsLength)
        {
            ReadOnlySpan<byte> input = inputs.AsSpan(i, HashInput.IPv6WithPortsLength);
            sum ^= HashAt(path, input[..IPv4AddressesLength], 0)
                ^ HashAt(path, input.Slice(16, 16), 16)
                ^ HashAt(path, input.Slice(IPv6AddressesLength, PortsLength), IPv6AddressesLength);
        }

        return Elapsed(start, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private long TimeBatch(byte[] inputs, int length, uint[] hashes)
    {
        long start = Stopwatch.GetTimestamp();
        HashBatchOn(length == HashInput.IPv4WithPortsLength ? _paths.Batch12 : _paths.Batch36, inputs.AsSpan(0, ToeplitzPathChooser.Inputs * length), length, length, hashes);
        return Elapsed(start, hashes[^1]);
    }

    // The hashes are kept so the loop does real work.
    private static long Elapsed(long start, uint sum)
    {
        long ticks = Stopwatch.GetTimestamp() - start;
        s_timingSink = sum;
        return ticks;
    }
}
