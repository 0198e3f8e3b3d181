using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Tap.Reading;

/// <summary>Writes a hash report into a received header as the series' kernel does (kernel-series.md §5.1).</summary>
internal static class HashReportWriter
{
    /// <summary>The size of <c>virtio_net_hdr_v1_hash</c>.</summary>
    internal const int HeaderSize = VirtioNetHeader.HashSize;

    /// <summary>Writes <c>hash_value</c>, <c>hash_report</c> and zero padding; a header shorter than 20 bytes is left alone, as the kernel does.</summary>
    internal static void Write(Span<byte> header, HashResult hash) => VirtioNetHeader.TryWriteHashReport(header, hash.HasHash ? hash : HashResult.None);
}
