using System.Buffers.Binary;

namespace VnetHash.Tap.Reading;

/// <summary>
/// A pinned block of frames on their way to one receive queue's consumer: records of a 4-byte length and the
/// packet, each starting 8-byte aligned. A reader fills it and publishes it whole, so the consumer is woken once
/// per block rather than once per frame; frames taken from it reference it until disposed.
/// </summary>
internal sealed class FrameBlock
{
    private const int LengthBytes = sizeof(int);
    private readonly ReceiveQueue _home;
    private int _references;

    internal FrameBlock(ReceiveQueue home, int size)
    {
        _home = home;
        Data = GC.AllocateUninitializedArray<byte>(size, pinned: true);
    }

    internal byte[] Data { get; }

    /// <summary>Bytes of records written.</summary>
    internal int Used { get; private set; }

    /// <summary>Frames written.</summary>
    internal int Count { get; private set; }

    /// <summary>The bytes a packet of <paramref name="length"/> takes in a block.</summary>
    internal static int RecordSize(int length) => (LengthBytes + length + 7) & ~7;

    /// <summary>Empties the block for reuse; the one reference is the queue's, dropped when the consumer has read every record.</summary>
    internal void Reset()
    {
        Used = 0;
        Count = 0;
        _references = 1;
    }

    /// <summary>Appends a packet; false when it does not fit.</summary>
    internal bool TryAppend(ReadOnlySpan<byte> packet)
    {
        int size = RecordSize(packet.Length);
        if (Used + size > Data.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteInt32LittleEndian(Data.AsSpan(Used), packet.Length);
        packet.CopyTo(Data.AsSpan(Used + LengthBytes));
        Used += size;
        Count++;
        return true;
    }

    /// <summary>Appends every record of <paramref name="other"/> (records are position-independent); false when they do not fit.</summary>
    internal bool TryAppendRecords(FrameBlock other)
    {
        if (Used + other.Used > Data.Length)
        {
            return false;
        }

        other.Data.AsSpan(0, other.Used).CopyTo(Data.AsSpan(Used));
        Used += other.Used;
        Count += other.Count;
        return true;
    }

    /// <summary>The packet of the record at <paramref name="record"/>: its offset and length, and the next record's offset.</summary>
    internal (int Offset, int Length, int Next) RecordAt(int record)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(record));
        return (record + LengthBytes, length, record + RecordSize(length));
    }

    internal void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Drops one reference; the last one gives the block back to its queue.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _home.ReturnBlock(this);
        }
    }
}
