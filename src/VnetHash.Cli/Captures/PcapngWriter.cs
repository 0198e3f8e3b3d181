using System.Buffers.Binary;

namespace VnetHash.Cli.Captures;

/// <summary>Writes a little-endian pcapng file: one section, one interface with nanosecond timestamps, EPBs.</summary>
public sealed class PcapngWriter : IDisposable
{
    private readonly Stream _stream;
    private byte[] _block = new byte[256];

    public PcapngWriter(Stream stream, LinkType linkType, string application)
    {
        _stream = stream;
        WriteSectionHeader(application);
        WriteInterface(linkType);
    }

    /// <summary>Appends an Enhanced Packet Block for interface 0.</summary>
    public void WritePacket(ReadOnlySpan<byte> data, long timestampNanoseconds)
    {
        int padded = (data.Length + 3) & ~3;
        int total = 32 + padded;
        Span<byte> block = Block(total);
        BinaryPrimitives.WriteUInt32LittleEndian(block, 6);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)((ulong)timestampNanoseconds >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)timestampNanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(block[20..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[24..], (uint)data.Length);
        data.CopyTo(block[28..]);
        block.Slice(28 + data.Length, padded - data.Length).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block[(total - 4)..], (uint)total);
        _stream.Write(block);
    }

    public void Dispose() => _stream.Flush();

    private void WriteSectionHeader(string application)
    {
        byte[] app = System.Text.Encoding.UTF8.GetBytes(application);
        int option = 4 + ((app.Length + 3) & ~3);
        int total = 28 + option + 4;
        Span<byte> block = Block(total);
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapngReader.SectionHeaderType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(block[16..], -1);
        BinaryPrimitives.WriteUInt16LittleEndian(block[24..], 4); // shb_userappl
        BinaryPrimitives.WriteUInt16LittleEndian(block[26..], (ushort)app.Length);
        app.CopyTo(block[28..]);
        BinaryPrimitives.WriteUInt32LittleEndian(block[(total - 4)..], (uint)total);
        _stream.Write(block);
    }

    private void WriteInterface(LinkType linkType)
    {
        const int total = 32;
        Span<byte> block = Block(total);
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], total);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], (ushort)linkType);
        BinaryPrimitives.WriteUInt16LittleEndian(block[16..], 9); // if_tsresol
        BinaryPrimitives.WriteUInt16LittleEndian(block[18..], 1);
        block[20] = 9; // nanoseconds
        BinaryPrimitives.WriteUInt32LittleEndian(block[(total - 4)..], total);
        _stream.Write(block);
    }

    private Span<byte> Block(int length)
    {
        if (_block.Length < length)
        {
            _block = new byte[length * 2];
        }

        return _block.AsSpan(0, length);
    }
}
