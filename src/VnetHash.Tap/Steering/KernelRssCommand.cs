using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;

namespace VnetHash.Tap.Steering;

/// <summary>
/// Configures the series' in-kernel RSS with hash reporting (kernel-series.md §2.2, §2.6): v12
/// <c>TUNSETVNETREPORTINGRSS</c> or v5 <c>TUNSETVNETHASH</c> with REPORT|RSS. Native-endian structure, then the
/// table (u16 each), then the key; the kernel swaps the whole configuration atomically.
/// </summary>
internal static unsafe class KernelRssCommand
{
    internal const nuint TUNSETVNETHASH = 0x400854e5;
    internal const nuint TUNSETVNETREPORTINGAUTOMQ = 0x800454e5;
    internal const nuint TUNSETVNETREPORTINGRSS = 0x800854e6;
    private const ushort FlagReport = 1;
    private const ushort FlagRss = 2;

    /// <summary>
    /// The kernel reads a 40-byte key whenever an IPv4 type is enabled and only 4 bytes otherwise (the key-length
    /// quirk, kernel-series.md §3.7); the key region is always 40 bytes, zero-padded, so both cases read defined bytes.
    /// </summary>
    private const int KeyRegion = 40;

    internal static void Apply(TapQueue queue, KernelHashGeneration generation, RssConfiguration configuration)
    {
        ReadOnlySpan<ushort> table = configuration.IndirectionTable;
        uint types = (uint)(configuration.Types & HashTypes.AllNonEx);
        int head = generation == KernelHashGeneration.V12 ? 8 : 12;
        byte[] buffer = new byte[head + (2 * table.Length) + KeyRegion];
        Span<byte> span = buffer;
        if (generation == KernelHashGeneration.V12)
        {
            WriteUInt32(span, types);
            WriteUInt16(span[4..], (ushort)configuration.IndirectionTableMask);
            WriteUInt16(span[6..], configuration.UnclassifiedQueue);
        }
        else
        {
            WriteUInt16(span, FlagReport | FlagRss);
            WriteUInt32(span[4..], types);
            WriteUInt16(span[8..], (ushort)configuration.IndirectionTableMask);
            WriteUInt16(span[10..], configuration.UnclassifiedQueue);
        }

        for (int i = 0; i < table.Length; i++)
        {
            WriteUInt16(span[(head + (2 * i))..], table[i]);
        }

        ReadOnlySpan<byte> key = configuration.Key;
        key[..Math.Min(key.Length, KeyRegion)].CopyTo(span[(head + (2 * table.Length))..]);

        nuint request = generation == KernelHashGeneration.V12 ? TUNSETVNETREPORTINGRSS : TUNSETVNETHASH;
        string name = generation == KernelHashGeneration.V12 ? "TUNSETVNETREPORTINGRSS" : "TUNSETVNETHASH";
        fixed (byte* pointer = buffer)
        {
            queue.Ioctl(request, pointer, name);
        }
    }

    /// <summary>Turns the kernel's hashing off (v12: reporting types 0; v5: flags 0); errors are ignored, the device may be gone.</summary>
    internal static void Clear(TapQueue queue, KernelHashGeneration generation)
    {
        byte* zero = stackalloc byte[8];
        new Span<byte>(zero, 8).Clear();
        _ = queue.TryIoctl(generation == KernelHashGeneration.V12 ? TUNSETVNETREPORTINGAUTOMQ : TUNSETVNETHASH, zero);
    }

    internal static TapException Unsupported(KernelHashSupport support) =>
        new(TapError.NotSupported, Interop.Errno.EINVAL, "kernel RSS", $"kernel RSS is not available: {support.Detail}");

    private static void WriteUInt16(Span<byte> destination, ushort value)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, value);
        }
    }

    private static void WriteUInt32(Span<byte> destination, uint value)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, value);
        }
    }
}
