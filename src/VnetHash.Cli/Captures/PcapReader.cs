using System.Buffers.Binary;

namespace VnetHash.Cli.Captures;

/// <summary>Classic libpcap files: either byte order, microsecond or nanosecond timestamps.</summary>
internal sealed class PcapReader : CaptureReader
{
    private const uint MicrosecondMagic = 0xa1b2c3d4;
    private const uint NanosecondMagic = 0xa1b23c4d;
    private const int GlobalHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    // A segment's first record is stamped within a year of the capture's first packet (see RecordLength).
    private const long SecondsFromFirst = 366L * 24 * 60 * 60;

    private readonly bool _bigEndian;
    private readonly long _fractionToNanoseconds;
    private readonly long _stop = long.MaxValue;
    private long _firstSeconds = -1;

    public PcapReader(CaptureInput input)
        : base(input)
    {
        Span<byte> header = stackalloc byte[GlobalHeaderLength];
        input.ReadExactly(header, "the pcap global header");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        _bigEndian = !IsMagic(magic);
        magic = ReadUInt32(header);
        _fractionToNanoseconds = magic == NanosecondMagic ? 1 : 1000;
        MajorVersion = ReadUInt16(header[4..]);
        SnapLength = ReadUInt32(header[16..]);

        // The upper bits of the link-type field carry FCS information, not the link type.
        LinkType = (LinkType)(ReadUInt32(header[20..]) & 0xFFFF);
        if (MajorVersion != 2)
        {
            throw new CaptureFormatException(4, $"pcap major version {MajorVersion} is not supported (only 2)");
        }
    }

    private PcapReader(CaptureInput input, PcapReader layout, long stop)
        : base(input)
    {
        _bigEndian = layout._bigEndian;
        _fractionToNanoseconds = layout._fractionToNanoseconds;
        MajorVersion = layout.MajorVersion;
        SnapLength = layout.SnapLength;
        LinkType = layout.LinkType;
        _firstSeconds = layout._firstSeconds;
        _stop = stop;
    }

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public int MajorVersion { get; }

    public uint SnapLength { get; }

    public LinkType LinkType { get; }

    public static bool IsMagic(uint value) => value is MicrosecondMagic or NanosecondMagic;

    internal override CaptureReader ReadSegment(CaptureInput input, long stop) => new PcapReader(input, this, stop);

    private protected override int RecordsToRecognise => 4;

    private protected override int RecordAlignment => 1;

    private protected override int MinimumRecordLength => RecordHeaderLength;

    // Records have no alignment and no trailer: a header can start one if its fraction is below one second, its
    // lengths are within the limit and the captured one within the original one, and it is stamped near the first
    // packet. The time matters: four bytes into a true header, the fraction, captured length, original length and the
    // frame's first bytes read as a header too, and a chain of them, shifted, follows the true one.
    private protected override int RecordLength(ReadOnlySpan<byte> header)
    {
        uint seconds = ReadUInt32(header);
        uint fraction = ReadUInt32(header[4..]);
        uint capturedLength = ReadUInt32(header[8..]);
        uint originalLength = ReadUInt32(header[12..]);
        return fraction >= 1_000_000_000 / _fractionToNanoseconds || originalLength > MaxRecordLength || capturedLength > originalLength
            || Math.Abs(seconds - _firstSeconds) > SecondsFromFirst
            ? -1
            : RecordHeaderLength + (int)capturedLength;
    }

    public override bool TryReadPacket(out CapturedPacket packet)
    {
        long recordOffset = Input.Position;
        if (recordOffset >= _stop)
        {
            packet = default;
            return false;
        }

        // Read in place, not copied: its fields are taken before the next read reuses the buffer.
        ReadOnlySpan<byte> header = Input.Read(RecordHeaderLength);
        if (header.Length == 0)
        {
            packet = default;
            return false;
        }

        if (header.Length < RecordHeaderLength)
        {
            throw CaptureFormatException.CutShort(recordOffset, $"record header is cut short: needs {RecordHeaderLength} bytes, the file ends after {header.Length}");
        }

        uint seconds = ReadUInt32(header);
        uint fraction = ReadUInt32(header[4..]);
        uint capturedLength = ReadUInt32(header[8..]);
        uint originalLength = ReadUInt32(header[12..]);
        if (capturedLength > MaxRecordLength)
        {
            throw new CaptureFormatException(recordOffset, $"record claims {capturedLength} captured bytes, more than the {MaxRecordLength}-byte limit");
        }

        ReadOnlySpan<byte> data = Input.Read((int)capturedLength);
        if (data.Length < capturedLength)
        {
            throw CaptureFormatException.CutShort(recordOffset, $"packet data is cut short: the record claims {capturedLength} captured bytes, the file ends after {data.Length}");
        }

        if (_firstSeconds < 0)
        {
            _firstSeconds = seconds;
        }

        long timestamp = (seconds * 1_000_000_000L) + (fraction * _fractionToNanoseconds);
        packet = new CapturedPacket(data, OriginalLength(originalLength, capturedLength), LinkType, 0, timestamp, recordOffset);
        PacketsRead++;
        return true;
    }

    private uint ReadUInt32(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
}
