using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VnetHash.Hashing;

// The loops ToeplitzPathChooser times. Each is compiled fully optimised on first call and inlines the same kernels
// the public methods inline, so what is timed at start-up is the code the hot path runs once tiered compilation has
// optimised it; every kernel they reach without inlining is itself compiled fully optimised.
public sealed partial class ToeplitzKey
{
    private static uint s_timingSink;

    /// <summary>Stopwatch ticks this key takes for <paramref name="operation"/> over <paramref name="passes"/> passes of <see cref="ToeplitzPathChooser.Inputs"/> inputs.</summary>
    internal long Time(ToeplitzOperation operation, int passes, byte[] inputs, uint[] hashes)
    {
        Debug.Assert(inputs.Length >= ToeplitzPathChooser.Inputs * HashInput.IPv6WithPortsLength && MaxInputLength >= HashInput.IPv6WithPortsLength);
        return operation switch
        {
            ToeplitzOperation.Hash12 => TimeHash12(passes, inputs),
            ToeplitzOperation.Hash36 => TimeHash36(passes, inputs),
            ToeplitzOperation.HashOther => TimeHashOther(passes, inputs),
            ToeplitzOperation.Batch12 => TimeBatch(passes, inputs, HashInput.IPv4WithPortsLength, hashes),
            _ => TimeBatch(passes, inputs, HashInput.IPv6WithPortsLength, hashes),
        };
    }

    // One loop per kernel, so no path pays in the timing for another's branch or code layout. Each path is timed the
    // way Hash reaches it: the 256-bit GFNI kernels inline only where Hash inlines them, else through HashTupleAt's call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private unsafe long TimeHash12(int passes, byte[] inputs)
    {
        ref byte data = ref MemoryMarshal.GetArrayDataReference(inputs);
        const int End = ToeplitzPathChooser.Inputs * HashInput.IPv4WithPortsLength;
        long start = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            switch (_hash12)
            {
                case ToeplitzImplementation.Gfni512:
                    for (int i = 0; i < End; i += HashInput.IPv4WithPortsLength)
                    {
                        sum ^= HashGfni12(_gfni12Matrices, ref Unsafe.Add(ref data, i), ref Unsafe.Add(ref data, i + IPv4AddressesLength));
                    }

                    break;
                case ToeplitzImplementation.CarrylessMultiply:
                    for (int i = 0; i < End; i += HashInput.IPv4WithPortsLength)
                    {
                        sum ^= HashClmul12(ref Unsafe.Add(ref data, i), ref Unsafe.Add(ref data, i + IPv4AddressesLength));
                    }

                    break;
                case ToeplitzImplementation.Gfni256 when IsGfni256Inlined:
                    for (int i = 0; i < End; i += HashInput.IPv4WithPortsLength)
                    {
                        sum ^= HashGfni256Tuple12((byte*)_gfniMatrices, ref Unsafe.Add(ref data, i), ref Unsafe.Add(ref data, i + IPv4AddressesLength));
                    }

                    break;
                default:
                    for (int i = 0; i < End; i += HashInput.IPv4WithPortsLength)
                    {
                        sum ^= HashTupleAt(_hash12, ref Unsafe.Add(ref data, i), IPv4AddressesLength, ref Unsafe.Add(ref data, i + IPv4AddressesLength), default);
                    }

                    break;
            }
        }

        return Elapsed(start, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private unsafe long TimeHash36(int passes, byte[] inputs)
    {
        ref byte data = ref MemoryMarshal.GetArrayDataReference(inputs);
        const int End = ToeplitzPathChooser.Inputs * HashInput.IPv6WithPortsLength;
        long start = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            switch (_hash36)
            {
                case ToeplitzImplementation.Gfni512:
                    for (int i = 0; i < End; i += HashInput.IPv6WithPortsLength)
                    {
                        sum ^= HashGfni36(_gfni36Matrices, ref Unsafe.Add(ref data, i), ref Unsafe.Add(ref data, i + IPv6AddressesLength));
                    }

                    break;
                case ToeplitzImplementation.CarrylessMultiply:
                    for (int i = 0; i < End; i += HashInput.IPv6WithPortsLength)
                    {
                        sum ^= HashClmul36(ref Unsafe.Add(ref data, i), ref Unsafe.Add(ref data, i + IPv6AddressesLength));
                    }

                    break;
                case ToeplitzImplementation.Gfni256 when IsGfni256Inlined:
                    for (int i = 0; i < End; i += HashInput.IPv6WithPortsLength)
                    {
                        sum ^= HashGfni256Tuple36((byte*)_gfniMatrices, ref Unsafe.Add(ref data, i), ref Unsafe.Add(ref data, i + IPv6AddressesLength));
                    }

                    break;
                default:
                    for (int i = 0; i < End; i += HashInput.IPv6WithPortsLength)
                    {
                        sum ^= HashTupleAt(_hash36, ref Unsafe.Add(ref data, i), IPv6AddressesLength, ref Unsafe.Add(ref data, i + IPv6AddressesLength), default);
                    }

                    break;
            }
        }

        return Elapsed(start, sum);
    }

    // The general form as the hash rules use it: an address-only IPv4 input, and the pieces of an IPv6 tuple whose
    // addresses come from extension headers, each at its input offset.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private long TimeHashOther(int passes, byte[] inputs)
    {
        ToeplitzImplementation path = _paths.HashOther;
        long start = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < ToeplitzPathChooser.Inputs * HashInput.IPv6WithPortsLength; i += HashInput.IPv6WithPortsLength)
            {
                ReadOnlySpan<byte> input = inputs.AsSpan(i, HashInput.IPv6WithPortsLength);
                sum ^= HashAt(path, input[..IPv4AddressesLength], 0)
                    ^ HashAt(path, input.Slice(16, 16), 16)
                    ^ HashAt(path, input.Slice(IPv6AddressesLength, PortsLength), IPv6AddressesLength);
            }
        }

        return Elapsed(start, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private long TimeBatch(int passes, byte[] inputs, int length, uint[] hashes)
    {
        ToeplitzImplementation path = length == HashInput.IPv4WithPortsLength ? _paths.Batch12 : _paths.Batch36;
        long start = Stopwatch.GetTimestamp();
        for (int pass = 0; pass < passes; pass++)
        {
            HashBatchOn(path, inputs.AsSpan(0, ToeplitzPathChooser.Inputs * length), length, length, hashes);
        }
        return Elapsed(start, hashes[^1]);
    }

    // The hashes are kept so the loop does real work.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Elapsed(long start, uint sum)
    {
        long ticks = Stopwatch.GetTimestamp() - start;
        s_timingSink = sum;
        return ticks;
    }
}
