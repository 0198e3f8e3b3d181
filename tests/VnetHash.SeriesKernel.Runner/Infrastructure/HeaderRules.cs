using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Tap.Probing;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>What the series kernel writes into a received 20-byte header (series-kernel-behaviour.md, "Header").</summary>
internal static class HeaderRules
{
    private const byte DataValid = 0x02;

    /// <summary>
    /// Null when the header is what the kernel must write for <paramref name="hash"/>: GSO fields 0, flags 0 or
    /// DATA_VALID, <c>hash_value</c> LE32 at 12 (0 with NONE), <c>hash_report</c> LE16 at 16, padding 0, and
    /// <c>num_buffers</c> 1 exactly when a report is attached on v5, always 0 on v12.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> header, HashResult hash, KernelHashGeneration generation)
    {
        if (header.Length < 20)
        {
            return $"header of {header.Length} bytes, 20 expected";
        }

        if ((header[0] & ~DataValid) != 0)
        {
            return $"flags 0x{header[0]:x2}: only DATA_VALID may be set";
        }

        if (!header[1..10].SequenceEqual(stackalloc byte[9]))
        {
            return $"GSO and checksum fields not zero: {Convert.ToHexString(header[1..10])}";
        }

        ushort buffers = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        ushort expectedBuffers = (ushort)(generation == KernelHashGeneration.V5 && hash.HasHash ? 1 : 0);
        if (buffers != expectedBuffers)
        {
            return $"num_buffers {buffers}, the {generation} kernel writes {expectedBuffers}";
        }

        uint value = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        ushort report = BinaryPrimitives.ReadUInt16LittleEndian(header[16..]);
        if (value != hash.Value || report != (ushort)hash.Report)
        {
            return $"hash {value:x8} report {report}, expected {hash.Value:x8} {(int)hash.Report}";
        }

        ushort padding = BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        return padding == 0 ? null : $"padding {padding}, expected 0";
    }
}
