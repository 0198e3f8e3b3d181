using System.Buffers;
using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Tap.Reading;

/// <summary>
/// One received frame owned by the caller: its virtio-net header and the Ethernet frame (TAP) or IP packet (TUN),
/// in a block of a receive queue (no copy) or in a pooled buffer (<see cref="TapFrameView.ToFrame"/>).
/// </summary>
/// <remarks>Dispose it exactly once when done; its memory then goes back to the pool and the spans become invalid.</remarks>
public readonly struct TapFrame : IDisposable
{
    private readonly object? _owner;
    private readonly int _offset;
    private readonly int _length;

    private TapFrame(object owner, int offset, int length, int headerSize, int queue)
    {
        _owner = owner;
        _offset = offset;
        _length = length;
        HeaderSize = headerSize;
        Queue = queue;
    }

    /// <summary>The receive queue the frame was steered to.</summary>
    public int Queue { get; }

    /// <summary>The virtio-net header size (0 when the device has none).</summary>
    public int HeaderSize { get; }

    /// <summary>The header and the frame, as read from the device.</summary>
    public ReadOnlySpan<byte> Packet => Bytes.AsSpan(_offset, _length);

    /// <summary>The virtio-net header.</summary>
    public ReadOnlySpan<byte> Header => Bytes.AsSpan(_offset, HeaderSize);

    /// <summary>The frame after the header.</summary>
    public ReadOnlySpan<byte> Frame => Bytes.AsSpan(_offset + HeaderSize, _length - HeaderSize);

    /// <summary>The hash report of the header (<c>hash_value</c> LE32 @12, <c>hash_report</c> LE16 @16); none when the header is shorter than 20 bytes.</summary>
    public HashResult Hash => ReadHash(Header);

    internal int Length => _length;

    private byte[] Bytes => _owner switch
    {
        FrameBlock block => block.Data,
        byte[] array => array,
        _ => [],
    };

    /// <summary>Gives the memory back: to its receive queue's block, or to the pool.</summary>
    public void Dispose()
    {
        switch (_owner)
        {
            case FrameBlock block:
                block.Release();
                break;
            case byte[] array:
                ArrayPool<byte>.Shared.Return(array);
                break;
        }
    }

    /// <summary>A frame inside a block; the caller has taken a reference on the block for it.</summary>
    internal static TapFrame InBlock(FrameBlock block, int offset, int length, int headerSize, int queue) => new(block, offset, length, headerSize, queue);

    /// <summary>A copy of <paramref name="packet"/> in a pooled buffer.</summary>
    internal static TapFrame Copy(ReadOnlySpan<byte> packet, int headerSize, int queue)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(packet.Length);
        packet.CopyTo(buffer);
        return new TapFrame(buffer, 0, packet.Length, headerSize, queue);
    }

    /// <summary>Reads the hash report fields of a virtio-net header (always little-endian).</summary>
    internal static HashResult ReadHash(ReadOnlySpan<byte> header) => VirtioNetHeader.ReadHashReport(header);
}
