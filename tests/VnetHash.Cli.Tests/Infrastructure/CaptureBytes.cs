using System.Buffers.Binary;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>Builds small pcap and pcapng files byte by byte, in either byte order, to test the readers' edges.</summary>
internal sealed class CaptureBytes
{
    private readonly List<byte> _bytes = [];
    private readonly bool _bigEndian;

    public CaptureBytes(bool bigEndian)
    {
        _bigEndian = bigEndian;
    }

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    public CaptureBytes U16(int value)
    {
        Span<byte> b = stackalloc byte[2];
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
        }

        _bytes.AddRange(b.ToArray());
        return this;
    }

    public CaptureBytes U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        }

        _bytes.AddRange(b.ToArray());
        return this;
    }

    public CaptureBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public CaptureBytes PcapHeader(uint magic, uint snapLength, uint linkType) =>
        U32(magic).U16(2).U16(4).U32(0).U32(0).U32(snapLength).U32(linkType);

    public CaptureBytes PcapRecord(uint seconds, uint fraction, byte[] data, uint? originalLength = null) =>
        U32(seconds).U32(fraction).U32((uint)data.Length).U32(originalLength ?? (uint)data.Length).Raw(data);

    /// <summary>A block with the given body, padded to 4 bytes, both length fields filled in.</summary>
    public CaptureBytes Block(uint type, byte[] body, uint? trailerOverride = null)
    {
        int padded = (body.Length + 3) & ~3;
        uint total = (uint)(12 + padded);
        U32(type).U32(total).Raw(body).Raw(new byte[padded - body.Length]);
        return U32(trailerOverride ?? total);
    }

    public CaptureBytes SectionHeader(ushort major = 1) =>
        Block(0x0A0D0D0A, new CaptureBytes(_bigEndian).U32(0x1A2B3C4D).U16(major).U16(0).U32(0xFFFFFFFF).U32(0xFFFFFFFF).ToArray());

    public CaptureBytes Interface(ushort linkType, uint snapLength, byte? timestampResolution = null)
    {
        var body = new CaptureBytes(_bigEndian).U16(linkType).U16(0).U32(snapLength);
        if (timestampResolution is byte resolution)
        {
            body.U16(9).U16(1).Raw(resolution, 0, 0, 0).U16(0).U16(0);
        }

        return Block(1, body.ToArray());
    }

    public CaptureBytes EnhancedPacket(uint interfaceId, ulong timestamp, byte[] data)
    {
        var body = new CaptureBytes(_bigEndian).U32(interfaceId).U32((uint)(timestamp >> 32)).U32((uint)timestamp)
            .U32((uint)data.Length).U32((uint)data.Length).Raw(data);
        return Block(6, Pad(body).ToArray());
    }

    public CaptureBytes ObsoletePacket(ushort interfaceId, ulong timestamp, byte[] data)
    {
        var body = new CaptureBytes(_bigEndian).U16(interfaceId).U16(0).U32((uint)(timestamp >> 32)).U32((uint)timestamp)
            .U32((uint)data.Length).U32((uint)data.Length).Raw(data);
        return Block(2, Pad(body).ToArray());
    }

    public CaptureBytes SimplePacket(byte[] data, uint? originalLength = null) =>
        Block(3, Pad(new CaptureBytes(_bigEndian).U32(originalLength ?? (uint)data.Length).Raw(data)).ToArray());

    private static CaptureBytes Pad(CaptureBytes bytes)
    {
        while (bytes.Length % 4 != 0)
        {
            bytes.Raw(0);
        }

        return bytes;
    }
}
