using System.Buffers.Binary;
using System.IO.Compression;

namespace VnetHash.Cli.Captures;

/// <summary>
/// Streams packets out of a classic pcap or a pcapng file in constant memory: one reusable buffer, no
/// allocation per packet. Damage is reported as a <see cref="CaptureFormatException"/> with the byte offset.
/// </summary>
public abstract class CaptureReader : IDisposable
{
    private const byte GzipMagic0 = 0x1F;
    private const byte GzipMagic1 = 0x8B;

    /// <summary>The largest record or block accepted; bigger length fields are treated as damage.</summary>
    public const int MaxRecordLength = 16 * 1024 * 1024;

    private protected CaptureReader(CaptureInput input)
    {
        Input = input;
    }

    /// <summary>The container format.</summary>
    public abstract CaptureFormat Format { get; }

    /// <summary>Packets returned so far.</summary>
    public long PacketsRead { get; private protected set; }

    /// <summary>The capture was gzip-compressed; offsets count bytes of the decompressed data.</summary>
    public bool IsCompressed { get; private set; }

    /// <summary>Bytes of the file consumed so far.</summary>
    public long Position => Input.Position;

    private protected CaptureInput Input { get; }

    /// <summary>Opens a capture file, recognising the format from its first bytes.</summary>
    public static CaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        try
        {
            return Open(stream, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a capture from <paramref name="stream"/>, recognising the format from its first bytes; a
    /// gzip-compressed capture (as tcpdump -z and many archives leave them) is decompressed on the way.
    /// </summary>
    public static CaptureReader Open(Stream stream, bool leaveOpen = false) => Open(stream, leaveOpen, compressed: false);

    private static CaptureReader Open(Stream stream, bool leaveOpen, bool compressed)
    {
        var input = new CaptureInput(stream, leaveOpen);
        Span<byte> magic = stackalloc byte[4];
        int n = input.ReadAtMost(magic);
        input.Unread(magic[..n]);
        if (n >= 2 && magic[0] == GzipMagic0 && magic[1] == GzipMagic1)
        {
            // One level only: each level costs a decompressor, and no capture tool compresses twice.
            if (compressed)
            {
                throw new CaptureFormatException(0, "it holds gzip-compressed data again; decompress it first");
            }

            CaptureReader inner;
            try
            {
                inner = Open(new GZipStream(input.AsStream(), CompressionMode.Decompress), leaveOpen: false, compressed: true);
            }
            catch (CaptureFormatException e)
            {
                throw new CaptureFormatException(e.Offset, $"the file is gzip-compressed, and what it holds is not a capture either: {e.Reason}");
            }

            inner.IsCompressed = true;
            return inner;
        }

        if (n < 4)
        {
            throw new CaptureFormatException(0, n == 0 ? "the file is empty" : $"the file has only {n} bytes, too short for a capture header");
        }

        uint le = BinaryPrimitives.ReadUInt32LittleEndian(magic);
        uint be = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (le == PcapngReader.SectionHeaderType)
        {
            return new PcapngReader(input);
        }

        if (PcapReader.IsMagic(le) || PcapReader.IsMagic(be))
        {
            return new PcapReader(input);
        }

        throw new CaptureFormatException(0, $"unrecognised magic number 0x{be:x8}: neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)");
    }

    /// <summary>
    /// A segment reader stopped on a block that changes how the capture is read (a new pcapng section or interface):
    /// the segments after it would be read wrong, so the capture must be read from its start.
    /// </summary>
    internal bool LeftLayout { get; private protected set; }

    /// <summary>
    /// A reader of the same capture, read as this reader reads it now (byte order, link type, interfaces), that
    /// starts on the record or block <paramref name="input"/> is positioned on and ends before the first one starting
    /// at or after <paramref name="stop"/>: one segment of a capture read in parts (see <see cref="CaptureSegments"/>).
    /// </summary>
    internal abstract CaptureReader ReadSegment(CaptureInput input, long stop);

    /// <summary>
    /// Where in <paramref name="window"/>, bytes from inside the capture, the first of several records or blocks in
    /// a row that read as this reader's would starts; -1 when none does. <paramref name="endOfFile"/>: the capture
    /// ends where the window does. A start found here is a guess until the segment before it is seen to end there.
    /// </summary>
    internal int FindRecordStart(ReadOnlySpan<byte> window, bool endOfFile)
    {
        for (int at = 0; at + MinimumRecordLength <= window.Length; at += RecordAlignment)
        {
            if (StartsRecords(window[at..], endOfFile))
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>Records in a row that must read as records before <see cref="FindRecordStart"/> takes the first.</summary>
    private protected abstract int RecordsToRecognise { get; }

    /// <summary>The step between the offsets where a record can start.</summary>
    private protected abstract int RecordAlignment { get; }

    /// <summary>The shortest record: its header, or its header and trailer.</summary>
    private protected abstract int MinimumRecordLength { get; }

    /// <summary>
    /// The whole length of the record whose first <see cref="MinimumRecordLength"/> bytes are
    /// <paramref name="header"/>, or -1 when they cannot start one of this capture's records.
    /// </summary>
    private protected abstract int RecordLength(ReadOnlySpan<byte> header);

    /// <summary>Whether a whole record, as long as its header says, ends as one should (a trailer, where the format has one).</summary>
    private protected virtual bool EndsRight(ReadOnlySpan<byte> record) => true;

    private bool StartsRecords(ReadOnlySpan<byte> bytes, bool endOfFile)
    {
        int at = 0;
        for (int records = 0; records < RecordsToRecognise; records++)
        {
            if (bytes.Length - at < MinimumRecordLength)
            {
                // The window ends: at the file's end only right after a record; elsewhere after at least one.
                return records > 0 && (!endOfFile || at == bytes.Length);
            }

            int length = RecordLength(bytes.Slice(at, MinimumRecordLength));
            if (length < 0)
            {
                return false;
            }

            if (length > bytes.Length - at)
            {
                return records > 0 && !endOfFile;
            }

            if (!EndsRight(bytes.Slice(at, length)))
            {
                return false;
            }

            at += length;
        }

        return true;
    }

    /// <summary>
    /// Reads every packet to the end of the input, in order, handing them to <paramref name="count"/> in batches: the
    /// packets whose records lie whole in the buffer up to <paramref name="batch"/>'s length at a time, without a read
    /// call or a <see cref="CapturedPacket"/> each (<see cref="TakeBuffered"/>), and any other one alone as
    /// <see cref="TryReadPacket"/> reads it. Returns the packets read. For an analysis, which needs no timestamps.
    /// </summary>
    /// <exception cref="CaptureFormatException">The capture is damaged or cut short: the packets before are counted.</exception>
    internal long ReadBatches(BufferedPacket[] batch, PacketBatchHandler count)
    {
        long packets = 0;
        while (true)
        {
            int taken = TakeBuffered(batch, out ReadOnlySpan<byte> bytes);
            if (taken > 0)
            {
                count(bytes, batch.AsSpan(0, taken));
                packets += taken;
                if (taken == batch.Length)
                {
                    continue;
                }
            }

            if (!TryReadPacket(out CapturedPacket packet))
            {
                return packets;
            }

            batch[0] = new BufferedPacket { Start = 0, Length = packet.Data.Length, OriginalLength = packet.OriginalLength, LinkType = packet.LinkType };
            count(packet.Data, batch.AsSpan(0, 1));
            packets++;
        }
    }

    /// <summary>
    /// Takes, without a read call, up to <paramref name="packets"/>.Length packets whose records lie whole in the
    /// input's buffer, in order, and returns how many: each one's bytes are a slice of <paramref name="bytes"/>, valid
    /// until the next read. 0 when the next record is not whole there, or is anything but a plain packet record;
    /// <see cref="TryReadPacket"/> then reads it (and names its damage, if any).
    /// </summary>
    private protected virtual int TakeBuffered(Span<BufferedPacket> packets, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return 0;
    }

    /// <summary>
    /// A record's original length as it is counted: at least the captured length (a writer may leave it smaller), and
    /// no more than an int holds.
    /// </summary>
    private protected static int OriginalLength(uint originalLength, uint capturedLength) =>
        (int)Math.Min(Math.Max(originalLength, capturedLength), int.MaxValue);

    /// <summary>Reads the next packet; false at the clean end of the file.</summary>
    /// <exception cref="CaptureFormatException">The file is damaged or truncated here.</exception>
    public abstract bool TryReadPacket(out CapturedPacket packet);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the stream unless it was opened to be left open.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Input.Dispose();
        }
    }
}
