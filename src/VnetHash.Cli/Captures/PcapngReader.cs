using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VnetHash.Cli.Captures;

/// <summary>
/// pcapng files: sections in either byte order, interfaces with <c>if_tsresol</c> (power of 10 or 2) and
/// <c>if_tsoffset</c>, Enhanced, Simple and obsolete Packet Blocks; every other block type is skipped.
/// Sections with a major version other than 1 are skipped whole, as the pcapng specification recommends.
/// </summary>
internal sealed class PcapngReader : CaptureReader
{
    public const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint InterfaceDescriptionType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const ushort OptionTimestampResolution = 9;
    private const ushort OptionTimestampOffset = 14;

    // The type and the length, then the body, then the trailer that repeats the length.
    private const int BlockHeaderLength = 8;
    private const int MinimumBlockLength = 12;

    // What comes before the packet's bytes in the body of an Enhanced (or obsolete) Packet Block: the interface, the
    // timestamp and the captured and original lengths.
    private const int PacketFieldsLength = 20;

    // An Enhanced Packet Block's fixed part: header, the packet's fields, then the trailer.
    private const int EnhancedBlockMinimum = BlockHeaderLength + PacketFieldsLength + 4;

    private readonly List<PcapngInterface> _interfaces = [];
    private readonly long _stop = long.MaxValue;
    private readonly bool _segment;
    private bool _bigEndian;
    private bool _skippingSection;

    public PcapngReader(CaptureInput input)
        : base(input)
    {
    }

    private PcapngReader(CaptureInput input, PcapngReader layout, long stop)
        : base(input)
    {
        _bigEndian = layout._bigEndian;
        _interfaces.AddRange(layout._interfaces);
        Sections = 1;
        _stop = stop;
        _segment = true;
    }

    public override CaptureFormat Format => CaptureFormat.Pcapng;

    /// <summary>Section Header Blocks seen so far.</summary>
    public int Sections { get; private set; }

    /// <summary>Sections skipped because of an unsupported major version.</summary>
    public int SkippedSections { get; private set; }

    /// <summary>The interfaces of the current section.</summary>
    public IReadOnlyList<PcapngInterface> Interfaces => _interfaces;

    public override bool TryReadPacket(out CapturedPacket packet)
    {
        while (true)
        {
            if (TryReadBufferedPacket(out packet))
            {
                return true;
            }

            if (!TryReadBlock(out packet, out bool isPacket) || isPacket)
            {
                return isPacket;
            }
        }
    }

    // Most blocks of a capture are Enhanced Packet Blocks that lie whole in the input's buffer: parsed there, each costs
    // no read call. Any other block, one that is not whole in the buffer, or one whose lengths disagree is left to
    // TryReadBlock, which reads it, or reports its damage, as it reads every block.
    private bool TryReadBufferedPacket(out CapturedPacket packet)
    {
        ReadOnlySpan<byte> buffered = Input.Buffered;
        long blockOffset = Input.Position;
        int declared;
        if (Sections == 0 || _skippingSection || blockOffset >= _stop
            || (declared = _bigEndian ? EnhancedBlockLength<BigEndian>(ref MemoryMarshal.GetReference(buffered), buffered.Length)
                : EnhancedBlockLength<LittleEndian>(ref MemoryMarshal.GetReference(buffered), buffered.Length)) == 0)
        {
            packet = default;
            return false;
        }

        // Consumed first, as TryReadBlock has read a block when it finds the block damaged.
        Input.Consume(declared);
        packet = ParsePacket(buffered[BlockHeaderLength..(declared - 4)], blockOffset, enhanced: true);
        PacketsRead++;
        return true;
    }

    // The Enhanced Packet Blocks that lie whole in the buffer, read in place with the same checks as the block reader
    // makes; the first block that is anything else, or not whole, or whose fields disagree, ends the batch.
    private protected override int TakeBuffered(Span<BufferedPacket> packets, out ReadOnlySpan<byte> bytes)
    {
        bytes = Input.Buffered;
        if (Sections == 0 || _skippingSection)
        {
            return 0;
        }

        int n = _bigEndian ? TakeBuffered<BigEndian>(bytes, packets, out int at) : TakeBuffered<LittleEndian>(bytes, packets, out at);
        Input.Consume(at);
        PacketsRead += n;
        return n;
    }

    // The loop of TakeBuffered, compiled once per byte order: each field is read without a test of the order. Returns
    // the packets taken, and at, the bytes their blocks take.
    private int TakeBuffered<TOrder>(ReadOnlySpan<byte> bytes, Span<BufferedPacket> packets, out int at)
        where TOrder : struct, IByteOrder
    {
        ref byte start = ref MemoryMarshal.GetReference(bytes);
        ref BufferedPacket next = ref MemoryMarshal.GetReference(packets);
        ReadOnlySpan<PcapngInterface> interfaces = CollectionsMarshal.AsSpan(_interfaces);
        long room = _stop - Input.Position;
        at = 0;
        int n = 0;
        while (n < packets.Length && at < room)
        {
            ref byte block = ref Unsafe.Add(ref start, at);
            int declared = EnhancedBlockLength<TOrder>(ref block, bytes.Length - at);
            if (declared == 0)
            {
                break;
            }

            // The body's fields, at the offsets ParsePacket reads them.
            uint interfaceId = Field<TOrder>(ref block, BlockHeaderLength);
            uint captured = Field<TOrder>(ref block, BlockHeaderLength + 12);
            if (interfaceId >= (uint)interfaces.Length || captured > (uint)(declared - EnhancedBlockMinimum))
            {
                break;
            }

            ref BufferedPacket packet = ref Unsafe.Add(ref next, n++);
            packet.Start = at + BlockHeaderLength + PacketFieldsLength;
            packet.Length = (int)captured;
            packet.OriginalLength = OriginalLength(Field<TOrder>(ref block, BlockHeaderLength + 16), captured);
            packet.LinkType = interfaces[(int)interfaceId].LinkType;
            at += declared;
        }

        return n;
    }

    // The length of the Enhanced Packet Block at block, with available bytes from there on: 0 when it is another block,
    // not whole in those bytes, shorter than its fixed fields, or its lengths disagree. Where it is not 0, the block's
    // fixed fields lie in those bytes and are read without a check of their own.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EnhancedBlockLength<TOrder>(ref byte block, int available)
        where TOrder : struct, IByteOrder
    {
        if (available < EnhancedBlockMinimum)
        {
            return 0;
        }

        uint declared = Field<TOrder>(ref block, 4);
        return Field<TOrder>(ref block, 0) != EnhancedPacketType || declared > (uint)available || declared < EnhancedBlockMinimum
            || declared % 4 != 0 || Field<TOrder>(ref block, (int)declared - 4) != declared ? 0 : (int)declared;
    }

    // A field of a block checked by EnhancedBlockLength, read in place.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Field<TOrder>(ref byte block, int offset)
        where TOrder : struct, IByteOrder =>
        TOrder.Ordered(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, offset)));

    // Reads one block: false at the end of the input (or of the segment), true after any other block, with isPacket
    // when it held a packet.
    private bool TryReadBlock(out CapturedPacket packet, out bool isPacket)
    {
        packet = default;
        isPacket = false;
        long blockOffset = Input.Position;
        if (blockOffset >= _stop)
        {
            return false;
        }

        // Read in place, not copied: its two fields are taken before the next read reuses the buffer.
        ReadOnlySpan<byte> header = Input.Read(BlockHeaderLength);
        if (header.Length == 0)
        {
            return false;
        }

        if (header.Length < BlockHeaderLength)
        {
            throw CaptureFormatException.CutShort(blockOffset, $"block header is cut short: needs {BlockHeaderLength} bytes, the file ends after {header.Length}");
        }

        uint type = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint lengthField = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (_segment && (type == SectionHeaderType || Ordered(type) == InterfaceDescriptionType))
        {
            LeftLayout = true;
            return false;
        }

        if (type == SectionHeaderType)
        {
            ReadSectionHeader(lengthField, blockOffset);
            return true;
        }

        if (Sections == 0)
        {
            throw new CaptureFormatException(blockOffset, "the first block is not a Section Header Block");
        }

        type = Ordered(type);
        ReadOnlySpan<byte> body = ReadBody(Ordered(lengthField), blockOffset, type);
        if (_skippingSection)
        {
            return true;
        }

        switch (type)
        {
            case InterfaceDescriptionType:
                _interfaces.Add(ParseInterface(body, blockOffset));
                return true;
            case EnhancedPacketType:
                packet = ParsePacket(body, blockOffset, enhanced: true);
                break;
            case ObsoletePacketType:
                packet = ParsePacket(body, blockOffset, enhanced: false);
                break;
            case SimplePacketType:
                packet = ParseSimplePacket(body, blockOffset);
                break;
            default:
                return true;
        }

        isPacket = true;
        PacketsRead++;
        return true;
    }

    internal override CaptureReader ReadSegment(CaptureInput input, long stop) => new PcapngReader(input, this, stop);

    private protected override int RecordsToRecognise => 3;

    // Blocks start at multiples of 4 from the file's start (the first is a Section Header Block and every length is a
    // multiple of 4), so only those offsets are tried; a block's length is a multiple of 4 that its trailer repeats.
    private protected override int RecordAlignment => 4;

    private protected override int MinimumRecordLength => MinimumBlockLength;

    private protected override int RecordLength(ReadOnlySpan<byte> header)
    {
        uint length = ReadUInt32(header[4..]);
        return length < MinimumBlockLength || length % 4 != 0 || length > MaxRecordLength ? -1 : (int)length;
    }

    private protected override bool EndsRight(ReadOnlySpan<byte> block) => ReadUInt32(block[^4..]) == block.Length;

    // The block's length field as read little-endian: its byte order is known only once the magic is read.
    private void ReadSectionHeader(uint lengthField, long blockOffset)
    {
        Span<byte> magic = stackalloc byte[4];
        Input.ReadExactly(magic, "the Section Header Block's byte-order magic");
        if (BinaryPrimitives.ReadUInt32LittleEndian(magic) == ByteOrderMagic)
        {
            _bigEndian = false;
        }
        else if (BinaryPrimitives.ReadUInt32BigEndian(magic) == ByteOrderMagic)
        {
            _bigEndian = true;
        }
        else
        {
            throw new CaptureFormatException(blockOffset + 8, $"Section Header Block byte-order magic is 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):x8}, expected 1a2b3c4d in either byte order");
        }

        uint totalLength = Ordered(lengthField);
        if (totalLength < 28)
        {
            throw new CaptureFormatException(blockOffset, $"Section Header Block total length {totalLength} is less than the minimum 28");
        }

        // The magic is part of the body already consumed; read the rest of the block.
        ReadOnlySpan<byte> rest = ReadBody(totalLength - 4, blockOffset, SectionHeaderType, alreadyRead: 4);
        ushort major = ReadUInt16(rest);
        Sections++;
        _interfaces.Clear();
        _skippingSection = major != 1;
        if (_skippingSection)
        {
            SkippedSections++;
        }
    }

    // Reads the body and trailer of a block whose 8-byte header (and alreadyRead body bytes) was consumed,
    // checking both length fields; returns the body without the trailer.
    private ReadOnlySpan<byte> ReadBody(uint totalLength, long blockOffset, uint type, int alreadyRead = 0)
    {
        uint declared = (uint)(totalLength + alreadyRead);
        if (declared < 12)
        {
            throw new CaptureFormatException(blockOffset, $"block type 0x{type:x} has total length {declared}, less than the minimum 12");
        }

        if (declared % 4 != 0)
        {
            throw new CaptureFormatException(blockOffset, $"block type 0x{type:x} has total length {declared}, not a multiple of 4");
        }

        if (declared > MaxRecordLength)
        {
            throw new CaptureFormatException(blockOffset, $"block type 0x{type:x} has total length {declared}, more than the {MaxRecordLength}-byte limit");
        }

        int remaining = (int)declared - 8 - alreadyRead;
        ReadOnlySpan<byte> block = Input.Read(remaining);
        if (block.Length < remaining)
        {
            throw CaptureFormatException.CutShort(blockOffset, $"block type 0x{type:x} is cut short: its total length is {declared} bytes, the file ends after {block.Length + 8 + alreadyRead}");
        }

        uint trailer = ReadUInt32(block[(remaining - 4)..]);
        if (trailer != declared)
        {
            throw new CaptureFormatException(blockOffset + declared - 4, $"block type 0x{type:x} ends with total length {trailer}, but starts with {declared}");
        }

        return block[..(remaining - 4)];
    }

    private PcapngInterface ParseInterface(ReadOnlySpan<byte> body, long blockOffset)
    {
        if (body.Length < 8)
        {
            throw new CaptureFormatException(blockOffset, $"Interface Description Block body has {body.Length} bytes, less than the 8 it needs");
        }

        var linkType = (LinkType)ReadUInt16(body);
        uint snapLength = ReadUInt32(body[4..]);
        int resolutionBase = 10;
        int exponent = 6;
        long offsetSeconds = 0;
        ReadOnlySpan<byte> options = body[8..];
        long optionOffset = blockOffset + 16;
        while (options.Length >= 4)
        {
            ushort code = ReadUInt16(options);
            ushort length = ReadUInt16(options[2..]);
            if (code == 0)
            {
                break;
            }

            int padded = (length + 3) & ~3;
            if (padded > options.Length - 4)
            {
                throw new CaptureFormatException(optionOffset, $"interface option {code} of {length} bytes runs past the end of its block");
            }

            ReadOnlySpan<byte> value = options.Slice(4, length);
            if (code == OptionTimestampResolution && length >= 1)
            {
                resolutionBase = (value[0] & 0x80) != 0 ? 2 : 10;
                exponent = value[0] & 0x7F;
                if ((resolutionBase == 10 && exponent > 18) || (resolutionBase == 2 && exponent > 63))
                {
                    throw new CaptureFormatException(optionOffset, $"if_tsresol 0x{value[0]:x2} is finer than this reader supports");
                }
            }
            else if (code == OptionTimestampOffset && length >= 8)
            {
                offsetSeconds = (long)ReadUInt64(value);
            }

            options = options[(4 + padded)..];
            optionOffset += 4 + padded;
        }

        return new PcapngInterface(linkType, snapLength, resolutionBase, exponent, offsetSeconds);
    }

    private CapturedPacket ParsePacket(ReadOnlySpan<byte> body, long blockOffset, bool enhanced)
    {
        string name = enhanced ? "Enhanced Packet Block" : "Packet Block";
        if (body.Length < PacketFieldsLength)
        {
            throw new CaptureFormatException(blockOffset, $"{name} body has {body.Length} bytes, less than the {PacketFieldsLength} it needs");
        }

        int interfaceId = enhanced ? (int)Math.Min(ReadUInt32(body), int.MaxValue) : ReadUInt16(body);
        ref readonly PcapngInterface iface = ref InterfaceFor(interfaceId, blockOffset, name);
        ulong units = ((ulong)ReadUInt32(body[4..]) << 32) | ReadUInt32(body[8..]);
        uint capturedLength = ReadUInt32(body[12..]);
        uint originalLength = ReadUInt32(body[16..]);
        if (capturedLength > body.Length - PacketFieldsLength)
        {
            throw new CaptureFormatException(blockOffset, $"{name} claims {capturedLength} captured bytes, but its body holds only {body.Length - PacketFieldsLength}");
        }

        return new CapturedPacket(body.Slice(PacketFieldsLength, (int)capturedLength), OriginalLength(originalLength, capturedLength), iface.LinkType, interfaceId, iface.ToNanoseconds(units), blockOffset);
    }

    private CapturedPacket ParseSimplePacket(ReadOnlySpan<byte> body, long blockOffset)
    {
        if (body.Length < 4)
        {
            throw new CaptureFormatException(blockOffset, $"Simple Packet Block body has {body.Length} bytes, less than the 4 it needs");
        }

        ref readonly PcapngInterface iface = ref InterfaceFor(0, blockOffset, "Simple Packet Block");
        uint originalLength = ReadUInt32(body);

        // An SPB has no captured length: it is the original length cut to the snap length and the body.
        long captured = Math.Min(originalLength, body.Length - 4);
        if (iface.SnapLength != 0)
        {
            captured = Math.Min(captured, iface.SnapLength);
        }

        int original = (int)Math.Min(originalLength, int.MaxValue);
        return new CapturedPacket(body.Slice(4, (int)captured), original, iface.LinkType, 0, 0, blockOffset);
    }

    // By reference: a packet reads a few of its fields, and copying the whole out of the list costs more than they do.
    private ref readonly PcapngInterface InterfaceFor(int interfaceId, long blockOffset, string name)
    {
        if (interfaceId >= _interfaces.Count)
        {
            throw new CaptureFormatException(blockOffset, $"{name} refers to interface {interfaceId}, but its section has described {_interfaces.Count}");
        }

        return ref CollectionsMarshal.AsSpan(_interfaces)[interfaceId];
    }

    // A field read little-endian, in the section's byte order.
    private uint Ordered(uint littleEndian) => _bigEndian ? BigEndian.Ordered(littleEndian) : littleEndian;

    private uint ReadUInt32(ReadOnlySpan<byte> bytes) => Ordered(BinaryPrimitives.ReadUInt32LittleEndian(bytes));

    private ulong ReadUInt64(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    private ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    /// <summary>A section's byte order, as a type argument: a loop over its blocks is then compiled for it.</summary>
    private interface IByteOrder
    {
        /// <summary>A field read little-endian, in this byte order.</summary>
        static abstract uint Ordered(uint littleEndian);
    }

    private readonly struct LittleEndian : IByteOrder
    {
        public static uint Ordered(uint littleEndian) => littleEndian;
    }

    private readonly struct BigEndian : IByteOrder
    {
        public static uint Ordered(uint littleEndian) => BinaryPrimitives.ReverseEndianness(littleEndian);
    }
}
