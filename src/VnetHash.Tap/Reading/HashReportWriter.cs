using System.Buffers.Binary;
using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>Writes a hash report into a received header as the series' kernel does (kernel-series.md §5.1).</summary>
internal static class HashReportWriter
{
    /// <summary>The size of <c>virtio_net_hdr_v1_hash</c>.</summary>
    internal const int HeaderSize = 20;

    /// <summary>Writes <c>hash_value</c> (LE32 @12), <c>hash_report</c> (LE16 @16) and zero padding (@18); does nothing for headers shorter than 20 bytes, as the kernel.</summary>
    internal static void Write(Span<byte> header, HashResult hash)
    {
        if (header.Length < HeaderSize)
        {
            return;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], hash.HasHash ? hash.Value : 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[16..], (ushort)hash.Report);
        BinaryPrimitives.WriteUInt16LittleEndian(header[18..], 0);
    }
}
