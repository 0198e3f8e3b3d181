namespace VnetHash.Cli.Captures;

/// <summary>
/// A forward-only view of a capture stream that knows its byte offset, so every error can name where it is,
/// and that can give back the few bytes read to recognise the format.
/// </summary>
internal sealed class CaptureInput : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _pushback = new byte[8];
    private int _pushbackStart;
    private int _pushbackEnd;
    private byte[]? _skipBuffer;

    public CaptureInput(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes consumed so far: the offset of the next byte to be read.</summary>
    public long Position { get; private set; }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public int ReadAtMost(Span<byte> buffer)
    {
        int total = 0;
        while (_pushbackStart < _pushbackEnd && total < buffer.Length)
        {
            buffer[total++] = _pushback[_pushbackStart++];
        }

        try
        {
            while (total < buffer.Length)
            {
                int n = _stream.Read(buffer[total..]);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }
        }
        catch (InvalidDataException e)
        {
            // Only a decompressing stream throws this: the compressed data itself is damaged.
            throw new CaptureFormatException(Position + total, $"the gzip data is damaged ({e.Message.TrimEnd('.')})");
        }

        Position += total;
        return total;
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

    /// <summary>Puts back bytes just read (at most 8), to be read again.</summary>
    public void Unread(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_pushback);
        _pushbackStart = 0;
        _pushbackEnd = bytes.Length;
        Position -= bytes.Length;
    }

    /// <summary>Skips <paramref name="count"/> bytes or fails naming <paramref name="what"/>.</summary>
    public void Skip(long count, string what)
    {
        long start = Position;
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
