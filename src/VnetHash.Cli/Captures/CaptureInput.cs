using System.Diagnostics;

namespace VnetHash.Cli.Captures;

/// <summary>
/// A forward-only view of a capture stream that knows its byte offset, so every error can name where it is,
/// and that can give back the few bytes read to recognise the format.
/// </summary>
internal sealed class CaptureInput : IDisposable
{
    // Read from the stream in chunks that stay in a core's L2 cache: a packet then costs a slice of this buffer, not a
    // call into the stream (whose per-call cost exceeds the bytes a packet copies). The buffer starts small and
    // doubles to that size as bytes arrive, so a short input (a few packets, a gzip stream's compressed side) costs
    // little.
    public const int ChunkLength = 256 * 1024;
    private const int FirstChunkLength = 4 * 1024;

    /// <summary>
    /// The buffer of a segment's reader: four reads of <see cref="ChunkLength"/>, filled in turn, so that each read
    /// lands on bytes read a few reads before rather than on those just parsed (see <see cref="Gather"/>).
    /// </summary>
    public const int SegmentBufferLength = 4 * ChunkLength;

    // How far a segment's reader reads past its stop in one read: the record that starts before the stop and ends
    // after it lies in these bytes unless it is longer (then it is read on to its end). The bytes further on belong to
    // the next segment, whose reader reads them again.
    internal const int ReadPastStop = 8 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _origin;
    private readonly long _stop = long.MaxValue;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private byte[]? _skipBuffer;

    public CaptureInput(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = new byte[FirstChunkLength];
    }

    /// <summary>
    /// An input whose first byte is byte <paramref name="position"/> of its capture (a segment read apart from the
    /// rest), read into <paramref name="buffer"/> from the start: a reader of many segments passes the same buffer
    /// to each. Its reads end a little past <paramref name="stop"/>, where the segment's records end, unless a record
    /// that starts before it asks for more.
    /// </summary>
    public CaptureInput(Stream stream, bool leaveOpen, long position, byte[] buffer, long stop)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _origin = position;
        Position = position;
        _buffer = buffer;
        _stop = stop;
    }

    /// <summary>Bytes consumed so far: the offset of the next byte to be read.</summary>
    public long Position { get; private set; }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public int ReadAtMost(Span<byte> buffer)
    {
        ReadOnlySpan<byte> bytes = Read(buffer.Length);
        bytes.CopyTo(buffer);
        return bytes.Length;
    }

    /// <summary>
    /// The next <paramref name="count"/> bytes, or fewer where the stream ends, in this input's own buffer: valid
    /// until the next read, and not copied.
    /// </summary>
    public Span<byte> Read(int count)
    {
        if (_end - _start < count)
        {
            Gather(count);
        }

        // Consume's two steps written out: through the call, the pcap reader, which reads every record here, took
        // 1.5 % more CPU in the Native AOT build.
        int n = Math.Min(count, _end - _start);
        Span<byte> bytes = _buffer.AsSpan(_start, n);
        _start += n;
        Position += n;
        return bytes;
    }

    /// <summary>What is buffered past <see cref="Position"/>: bytes a reader may parse in place, then <see cref="Consume"/>.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Moves past <paramref name="count"/> bytes of <see cref="Buffered"/>.</summary>
    public void Consume(int count)
    {
        Debug.Assert((uint)count <= (uint)(_end - _start));
        _start += count;
        Position += count;
    }

    /// <summary>The next bytes, as <see cref="Read"/> gives them, left to be read again.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        Span<byte> bytes = Read(count);
        Unread(bytes);
        return bytes;
    }

    /// <summary>Fills <paramref name="buffer"/> or fails naming <paramref name="what"/> and how much was missing.</summary>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        long start = Position;
        int n = ReadAtMost(buffer);
        if (n < buffer.Length)
        {
            throw CaptureFormatException.CutShort(start, $"{what} is cut short: needs {buffer.Length} bytes, the file ends after {n}");
        }
    }

    /// <summary>Puts back the bytes the last read returned, to be read again.</summary>
    public void Unread(ReadOnlySpan<byte> bytes)
    {
        // A read leaves what it returned in the buffer right before _start.
        Debug.Assert(bytes.Length <= _start && bytes.SequenceEqual(_buffer.AsSpan(_start - bytes.Length, bytes.Length)));
        _start -= bytes.Length;
        Position -= bytes.Length;
    }

    /// <summary>Skips <paramref name="count"/> bytes or fails naming <paramref name="what"/>.</summary>
    public void Skip(long count, string what)
    {
        long start = Position;
        if (count <= _end - _start)
        {
            Consume((int)count);
            return;
        }

        _skipBuffer ??= new byte[64 * 1024];
        long left = count;
        while (left > 0)
        {
            int chunk = (int)Math.Min(left, _skipBuffer.Length);
            int n = ReadAtMost(_skipBuffer.AsSpan(0, chunk));
            if (n < chunk)
            {
                throw CaptureFormatException.CutShort(start, $"{what} is cut short: needs {count} bytes, the file ends after {count - left + n}");
            }

            left -= n;
        }
    }

    // Buffers at least count bytes from _start, or all the stream has left. Reads take up to ChunkLength and go on after
    // what is buffered while a whole one fits there; then what is buffered (fewer than count bytes) moves to the front.
    // In a buffer of several reads (a segment's reader's), each read so lands on bytes read a few reads before, not on
    // the ones just parsed: the kernel's copy into bytes still in the core's cache took a quarter longer (pread(2) of
    // 256 KiB at a time, into one buffer of that size or in turn into four, on Zen 4). The buffer grows for a record
    // longer than it only as that record's bytes arrive, so a length field cannot make the reader allocate more than
    // the input holds.
    private void Gather(int count)
    {
        if (_buffer.Length - _end < Math.Min(ChunkLength, _buffer.Length) || _buffer.Length - _start < count)
        {
            Compact();
        }

        if (_buffer.Length < ChunkLength && Position - _origin >= _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(ChunkLength, 2 * _buffer.Length));
        }

        try
        {
            while (_end - _start < count)
            {
                if (_end == _buffer.Length)
                {
                    // Full only when count did not fit from _start, and then the bytes were moved to the front above.
                    Debug.Assert(_start == 0);
                    Array.Resize(ref _buffer, (int)Math.Min(count, 2L * _buffer.Length));
                }

                int n = _stream.Read(_buffer.AsSpan(_end, ReadLength(count)));
                if (n == 0)
                {
                    break;
                }

                _end += n;
            }
        }
        catch (InvalidDataException e)
        {
            // Only a decompressing stream throws this: the compressed data itself is damaged.
            throw new CaptureFormatException(Position + (_end - _start), $"the gzip data is damaged ({e.Message.TrimEnd('.')})");
        }
    }

    private void Compact()
    {
        int buffered = _end - _start;
        Array.Copy(_buffer, _start, _buffer, 0, buffered);
        _start = 0;
        _end = buffered;
    }

    // A read's length: the free part of the buffer up to ChunkLength, except near a segment's stop: there up to
    // ReadPastStop bytes past the stop, or what count needs if that is more. Reading whole buffers there, each segment
    // read about a buffer of the next one, which read it again: 6 % of a 1 GB capture copied twice.
    private int ReadLength(int count)
    {
        int free = Math.Min(_buffer.Length - _end, ChunkLength);
        long toStop = _stop - (Position + (_end - _start));
        return toStop >= free - ReadPastStop ? free : (int)Math.Min(free, Math.Max(count - (_end - _start), toStop + ReadPastStop));
    }

    /// <summary>This input, from its current position, as a read-only stream (for a decompressor to read).</summary>
    public Stream AsStream() => new ReadOnlyView(this);

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private sealed class ReadOnlyView(CaptureInput input) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => input.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => input.ReadAtMost(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
