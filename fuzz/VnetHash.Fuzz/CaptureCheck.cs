using System.IO.Compression;
using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Rss;

namespace VnetHash.Fuzz;

/// <summary>
/// What the capture targets check: a capture read to its end or to its first damage gives only packets that lie
/// inside the bytes read, in order, and allocates in proportion to what the input holds, never to what a length
/// field claims; the only error is a <see cref="CaptureFormatException"/> at an offset inside the input. The same
/// bytes arriving a few at a time give the same packets and the same error, and a gzip-compressed capture reads as
/// its decompressed bytes do. Every packet goes through the analysis step <c>analyze</c> runs. Read in batches (as
/// <c>analyze</c> takes them, <see cref="CaptureReader.ReadBatches"/>), the capture gives the same packets and the same
/// error. Read as a file in segments (as <c>analyze</c> reads large files on several cores, in batches), the segments
/// either give what one reading gives or do not join, so nothing would be taken from them.
/// </summary>
internal static class CaptureCheck
{
    // The reader's first buffer and the decompressor's: what any capture may cost before its packets do.
    private const long FixedAllowance = 512 * 1024;

    // Sizes a decompressed input is compared at; beyond this a compressed input is read once, not twice.
    private const int MaxDecompressed = 8 * 1024 * 1024;

    // Segments of a few bytes, so that a small input has many boundaries inside its records.
    private const int SegmentBytes = 36;

    private const ulong FingerprintBasis = 14695981039346656037;

    // Small batches, so that they end inside runs of packets in the reader's buffer as well as at the runs' ends.
    private const int BatchPackets = 7;

    private static readonly CaptureAnalyzer Analyzer = new("fuzz", RssConfiguration.RoundRobin(4), 4);
    // Allocated on first use, after the allocation check of the first input's reading, which it would count.
    private static byte[]? s_segmentBuffer;

    public static void Run(ReadOnlySpan<byte> input)
    {
        byte[] bytes = input.ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Outcome whole = Read(new MemoryStream(bytes, writable: false), analyze: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long read = Math.Max(bytes.Length, whole.Position);
        Check.That(allocated <= FixedAllowance + (2 * read), $"reading {bytes.Length} bytes ({whole.Position} after decompression) allocated {allocated} bytes");

        if (!whole.Compressed)
        {
            Check.That(whole.Position <= bytes.Length, $"the reader claims {whole.Position} bytes of a {bytes.Length}-byte input");
            Check.That(whole.ErrorOffset <= bytes.Length, $"an error at offset {whole.ErrorOffset} of a {bytes.Length}-byte input");
        }

        Check.Equal((whole.Packets, whole.Analysed, whole.Error), ReadInBatches(new MemoryStream(bytes, writable: false)), "the packets taken in batches");

        Outcome trickled = Read(new TrickleStream(bytes), analyze: false);
        Check.Equal(whole with { Error = null }, trickled with { Error = null }, "the same bytes a few at a time");
        Check.Equal(whole.Error, trickled.Error, "the error for the same bytes a few at a time");

        if (whole.Compressed && Decompress(bytes) is byte[] plain)
        {
            Outcome inner = Read(new MemoryStream(plain, writable: false), analyze: false);
            Check.Equal(whole with { Compressed = false, Error = null }, inner with { Error = null }, "the compressed capture against its decompressed bytes");
        }

        CheckSegments(bytes, whole);
    }

    private static void CheckSegments(byte[] bytes, Outcome whole)
    {
        // In memory where there is a tmpfs: a file written and removed per input costs less there than on a disk.
        string folder = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string path = Path.Combine(folder, $"vnethash-fuzz-{Environment.ProcessId}.capture");
        File.WriteAllBytes(path, bytes);
        try
        {
            using CaptureSegments? segments = CaptureSegments.TryOpen(path, SegmentBytes, readers: 1);
            if (segments is null)
            {
                return;
            }

            s_segmentBuffer ??= new byte[CaptureInput.SegmentBufferLength];
            var batch = new BufferedPacket[BatchPackets];
            long packets = 0;
            ulong fingerprint = FingerprintBasis;
            for (int i = 0; i < segments.Count; i++)
            {
                bool read = segments.Read(i, s_segmentBuffer, reader => packets += reader.ReadBatches(batch, (bytes, taken) => fingerprint = Fold(fingerprint, bytes, taken)));
                if (!read)
                {
                    return;
                }
            }

            if (segments.Joins())
            {
                Check.Equal((whole.Packets, whole.Analysed, whole.Error), (packets, fingerprint, (string?)null), "segments that join against one reading from the start");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// What one reading gives: packets folded into a fingerprint, and what an analysis takes of them (bytes, original
    /// length, link type) into another; where it stopped and why.
    /// </summary>
    private readonly record struct Outcome(long Packets, ulong Fingerprint, ulong Analysed, long Position, bool Compressed, long ErrorOffset, string? Error);

    private static (long Packets, ulong Analysed, string? Error) ReadInBatches(Stream stream)
    {
        ulong fingerprint = FingerprintBasis;
        long folded = 0;
        try
        {
            using CaptureReader reader = CaptureReader.Open(stream);
            long packets = reader.ReadBatches(new BufferedPacket[BatchPackets], (bytes, taken) =>
            {
                fingerprint = Fold(fingerprint, bytes, taken);
                folded += taken.Length;
            });
            Check.Equal(folded, packets, "packets returned by the batches");
            return (packets, fingerprint, null);
        }
        catch (CaptureFormatException e)
        {
            return (folded, fingerprint, e.Message);
        }
    }

    private static Outcome Read(Stream stream, bool analyze)
    {
        CaptureReader? reader = null;
        long packets = 0;
        ulong fingerprint = FingerprintBasis;
        ulong analysed = FingerprintBasis;
        long lastOffset = -1;
        try
        {
            reader = CaptureReader.Open(stream);
            while (reader.TryReadPacket(out CapturedPacket packet))
            {
                packets++;
                Check.Equal(packets, reader.PacketsRead, "packets counted");
                Check.That(packet.Offset > lastOffset && packet.Offset + packet.Data.Length <= reader.Position,
                    $"packet {packets} at {packet.Offset} with {packet.Data.Length} bytes, {reader.Position} bytes read, the last at {lastOffset}");
                Check.That(packet.OriginalLength >= 0 && packet.InterfaceId >= 0, $"packet {packets}: original length {packet.OriginalLength}, interface {packet.InterfaceId}");
                lastOffset = packet.Offset;
                fingerprint = Fold(fingerprint, in packet);
                analysed = Fold(analysed, packet.Data, packet.OriginalLength, packet.LinkType);

                if (analyze)
                {
                    PacketOutcome outcome = Analyzer.Add(packet.Data, packet.LinkType, packet.OriginalLength);
                    Check.That(outcome.Location.Offset >= 0 && outcome.Location.Offset <= packet.Data.Length, $"a frame at {outcome.Location.Offset} of a {packet.Data.Length}-byte packet");
                    Check.That(outcome.Queue is >= 0 and < 4, $"queue {outcome.Queue} of 4");
                }
            }

            return new Outcome(packets, fingerprint, analysed, reader.Position, reader.IsCompressed, -1, null);
        }
        catch (CaptureFormatException e)
        {
            Check.That(e.Offset >= 0 && e.Reason.Length > 0, $"an error without an offset or a reason: {e.Message}");
            return new Outcome(packets, fingerprint, analysed, reader?.Position ?? -1, reader?.IsCompressed ?? false, e.Offset, e.Message);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    // Everything a reading gives of a packet: where its record was, its interface and time, then what an analysis takes.
    private static ulong Fold(ulong fingerprint, in CapturedPacket packet) =>
        Fold(Fold(fingerprint, packet.Offset, packet.InterfaceId, packet.TimestampNanoseconds), packet.Data, packet.OriginalLength, packet.LinkType);

    // A batch's packets in order, each of which must lie inside the batch's bytes.
    private static ulong Fold(ulong fingerprint, ReadOnlySpan<byte> bytes, ReadOnlySpan<BufferedPacket> taken)
    {
        Check.That(taken.Length <= BatchPackets, $"a batch of {taken.Length}");
        foreach (BufferedPacket packet in taken)
        {
            Check.That(packet.Start >= 0 && packet.Length >= 0 && packet.Start + packet.Length <= bytes.Length, $"a packet at {packet.Start} with {packet.Length} bytes of {bytes.Length}");
            fingerprint = Fold(fingerprint, bytes.Slice(packet.Start, packet.Length), packet.OriginalLength, packet.LinkType);
        }

        return fingerprint;
    }

    private static ulong Fold(ulong fingerprint, ReadOnlySpan<byte> data, int originalLength, LinkType linkType)
    {
        fingerprint = Fold(fingerprint, data.Length, originalLength, (long)linkType);
        foreach (byte b in data)
        {
            fingerprint = Fold(fingerprint, b);
        }

        return fingerprint;
    }

    private static ulong Fold(ulong hash, params ReadOnlySpan<long> values)
    {
        foreach (long value in values)
        {
            hash = (hash ^ (ulong)value) * 1099511628211;
        }

        return hash;
    }

    /// <summary>The decompressed bytes of a gzip input, or null when they are damaged or too many to compare.</summary>
    private static byte[]? Decompress(byte[] bytes)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var plain = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = gzip.Read(chunk)) > 0)
            {
                plain.Write(chunk, 0, n);
                if (plain.Length > MaxDecompressed)
                {
                    return null;
                }
            }

            return plain.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>A stream that hands out its bytes 1 to 7 at a time, as a pipe or a slow disk may.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, 1 + (_position % 7)), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
