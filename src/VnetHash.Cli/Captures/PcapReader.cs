using System.Buffers.Binary;

namespace VnetHash.Cli.Captures;

/// <summary>Classic libpcap files: either byte order, microsecond or nanosecond timestamps.</summary>
internal sealed class PcapReader : CaptureReader
{
    private const uint MicrosecondMagic = 0xa1b2c3d4;
    private const uint NanosecondMagic = 0xa1b23c4d;
    private const int GlobalHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    private readonly bool _bigEndian;
    private readonly long _fractionToNanoseconds;

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

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public int MajorVersion { get; }

    public uint SnapLength { get; }

    public LinkType LinkType { get; }

    public static bool IsMagic(uint value) => value is MicrosecondMagic or NanosecondMagic;

    public override bool TryReadPacket(out CapturedPacket packet)
    {
        long recordOffset = Input.Position;
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        int n = Input.ReadAtMost(header);
        if (n == 0)
        {
            packet = default;
            return false;
        }

        if (n < RecordHeaderLength)
        {
            throw CaptureFormatException.CutShort(recordOffset, $"record header is cut short: needs {RecordHeaderLength} bytes, the file ends after {n}");
        }

        uint seconds = ReadUInt32(header);
        uint fraction = ReadUInt32(header[4..]);
        uint capturedLength = ReadUInt32(header[8..]);
        uint originalLength = ReadUInt32(header[12..]);
        if (capturedLength > MaxRecordLength)
        {
            throw new CaptureFormatException(recordOffset, $"record claims {capturedLength} captured bytes, more than the {MaxRecordLength}-byte limit");
        }

        Span<byte> data = Buffer((int)capturedLength);
        int got = Input.ReadAtMost(data);
        if (got < data.Length)
        {
            throw CaptureFormatException.CutShort(recordOffset, $"packet data is cut short: the record claims {capturedLength} captured bytes, the file ends after {got}");
        }

        long timestamp = (seconds * 1_000_000_000L) + (fraction * _fractionToNanoseconds);
        int original = (int)Math.Min(Math.Max(originalLength, capturedLength), int.MaxValue);
        packet = new CapturedPacket(data, original, LinkType, 0, timestamp, recordOffset);
        PacketsRead++;
        return true;
    }

    private uint ReadUInt32(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
}
