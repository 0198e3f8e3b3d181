using Microsoft.Win32.SafeHandles;

namespace VnetHash.Cli.Captures;

/// <summary>
/// A capture file cut into segments of a few MiB (shorter toward its end) that separate threads read at the same
/// time, each straight from the file into a buffer that stays in its core's cache, and little further past its end
/// than its last record needs. Records do not start at known offsets, so each segment finds its first record by
/// looking (<see cref="CaptureReader.FindRecordStart"/>) and reads the records that start inside it;
/// <see cref="Joins"/> then checks that every segment started exactly where the one before it ended, which makes the
/// whole a reading of the file from its first record to its end. Anything else (a guess that was wrong, damage, a
/// pcapng section or interface after the first packet) means the capture is to be read from its start instead.
/// </summary>
internal sealed class CaptureSegments : IDisposable
{
    /// <summary>Bytes per segment: large beside a record, small beside the file, so the threads share the work evenly.</summary>
    public const int SegmentBytes = 4 * 1024 * 1024;

    // The least a segment shrinks to toward the file's end: one read of a reader's buffer.
    private const int LeastSegmentBytes = CaptureInput.ChunkLength;

    private readonly SafeFileHandle _file;
    private readonly CaptureReader _layout;

    // Per segment, where it starts (the first at the capture's first record); where its first record started (-1: none
    // found) and where its reader stopped.
    private readonly long[] _starts;
    private readonly long[] _firsts;
    private readonly long[] _ends;

    private CaptureSegments(SafeFileHandle file, long length, CaptureReader layout, long firstRecord, int segmentBytes, int readers)
    {
        _file = file;
        _layout = layout;
        Length = length;
        _starts = Starts(firstRecord, length, segmentBytes, readers);
        Count = _starts.Length;
        _firsts = new long[Count];
        _ends = new long[Count];
    }

    public long Length { get; }

    public int Count { get; }

    /// <summary>
    /// Opens <paramref name="path"/> in segments of <paramref name="segmentBytes"/> (a multiple of 4, as pcapng blocks
    /// are) for <paramref name="readers"/> threads, or null when it is not worth it or cannot be: shorter than two
    /// segments, compressed, without a packet, or damaged before its first packet (the reading from the start says
    /// how).
    /// </summary>
    public static CaptureSegments? TryOpen(string path, int segmentBytes, int readers)
    {
        if (segmentBytes <= 0 || segmentBytes % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentBytes), segmentBytes, "must be a positive multiple of 4");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(readers, 1);

        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        CaptureReader? layout = null;
        try
        {
            long length = RandomAccess.GetLength(file);
            if (length >= 2L * segmentBytes)
            {
                layout = CaptureReader.Open(new FileRangeStream(file, 0), leaveOpen: false);
                if (!layout.IsCompressed && layout.TryReadPacket(out CapturedPacket first))
                {
                    var segments = new CaptureSegments(file, length, layout, first.Offset, segmentBytes, readers);
                    layout = null;
                    return segments;
                }
            }
        }
        catch (CaptureFormatException)
        {
        }
        finally
        {
            layout?.Dispose();
        }

        file.Dispose();
        return null;
    }

    /// <summary>Where segment <paramref name="index"/> starts in the file.</summary>
    public long StartOf(int index) => _starts[index];

    // From the first record on, each segment is a share of what is left, 1/(2 × readers) as guided self-scheduling
    // deals work out, at most segmentBytes and at least LeastSegmentBytes (or segmentBytes, if smaller): full-sized
    // segments through most of a large file, ever shorter ones toward its end, so that the readers finish together
    // instead of the others waiting for the one that took a whole last segment.
    private static long[] Starts(long firstRecord, long length, int segmentBytes, int readers)
    {
        int least = Math.Min(LeastSegmentBytes, segmentBytes);
        var starts = new List<long>();
        for (long at = firstRecord; at < length; at += Math.Clamp((length - at) / (2L * readers) / 4 * 4, least, segmentBytes))
        {
            starts.Add(at);
        }

        return [.. starts];
    }

    /// <summary>
    /// Reads segment <paramref name="index"/> through <paramref name="buffer"/>: <paramref name="readPackets"/> takes
    /// the packets of the records that start in it. False when the segment cannot be part of a reading of the file
    /// (damage, a pcapng section or interface after the first packet); then the file is to be read from its start.
    /// Segments may be read on any threads, each by one.
    /// </summary>
    public bool Read(int index, byte[] buffer, Action<CaptureReader> readPackets)
    {
        try
        {
            using CaptureReader? reader = Open(index, buffer, out _firsts[index]);
            if (reader is not null)
            {
                readPackets(reader);
                _ends[index] = reader.Position;
                return !reader.LeftLayout;
            }

            return true;
        }
        catch (CaptureFormatException)
        {
            return false;
        }
    }

    // A reader of the records that start in segment index, and where the first of them starts; null (and -1) when no
    // record was found to start there.
    private CaptureReader? Open(int index, byte[] buffer, out long first)
    {
        long start = StartOf(index);
        long stop = StopOf(index);
        var input = new CaptureInput(new FileRangeStream(_file, start), leaveOpen: false, start, buffer, stop);
        // The search looks through one read, not the whole buffer: past a short segment's end the bytes are the next
        // segments', read again by their readers.
        int look = Math.Min(buffer.Length, CaptureInput.ChunkLength);
        ReadOnlySpan<byte> window = input.Peek(look);
        int at = index == 0 ? 0 : _layout.FindRecordStart(window, endOfFile: window.Length < look);
        if (at < 0 || start + at >= stop)
        {
            input.Dispose();
            first = -1;
            return null;
        }

        input.Skip(at, "the first record of a segment");
        first = start + at;
        return _layout.ReadSegment(input, stop);
    }

    /// <summary>
    /// Whether the segments, all read, are one chain of records from the first to the file's end: each started exactly
    /// where the records before it ended, or found no start where none was due.
    /// </summary>
    public bool Joins()
    {
        long expected = _starts[0];
        for (int i = 0; i < Count; i++)
        {
            // The last segment is covered when the records before it reached the file's end as it was measured.
            long stop = i == Count - 1 ? Length : StopOf(i);
            if (expected >= stop)
            {
                // A record from an earlier segment covers this one whole.
                if (_firsts[i] >= 0)
                {
                    return false;
                }

                continue;
            }

            if (_firsts[i] != expected)
            {
                return false;
            }

            expected = _ends[i];
        }

        return expected == Length;
    }

    // The last segment reads to the file's end, wherever that is by then.
    private long StopOf(int index) => index == Count - 1 ? long.MaxValue : _starts[index + 1];

    public void Dispose()
    {
        _layout.Dispose();
        _file.Dispose();
    }

    /// <summary>The file from an offset on, read with pread(2): any number of them share one handle.</summary>
    private sealed class FileRangeStream(SafeFileHandle file, long offset) : Stream
    {
        private long _offset = offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _offset;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = RandomAccess.Read(file, buffer, _offset);
            _offset += n;
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
