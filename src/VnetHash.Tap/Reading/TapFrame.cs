using System.Buffers;
using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Tap.Reading;

/// <summary>
/// One received frame: its virtio-net header and the Ethernet frame (TAP) or IP packet (TUN), in a pooled buffer.
/// </summary>
/// <remarks>Dispose it exactly once when done; the buffer then goes back to the pool and the spans become invalid.</remarks>
public readonly struct TapFrame : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    internal TapFrame(byte[] buffer, int length, int headerSize, int queue)
    {
        _buffer = buffer;
        _length = length;
        HeaderSize = headerSize;
        Queue = queue;
    }

    /// <summary>The receive queue the frame was steered to.</summary>
    public int Queue { get; }

    /// <summary>The virtio-net header size (0 when the device has none).</summary>
    public int HeaderSize { get; }

    /// <summary>The header and the frame, as read from the device.</summary>
    public ReadOnlySpan<byte> Packet => _buffer.AsSpan(0, _length);

    /// <summary>The virtio-net header.</summary>
    public ReadOnlySpan<byte> Header => _buffer.AsSpan(0, HeaderSize);

    /// <summary>The frame after the header.</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(HeaderSize, _length - HeaderSize);

    /// <summary>The hash report of the header (<c>hash_value</c> LE32 @12, <c>hash_report</c> LE16 @16); none when the header is shorter than 20 bytes.</summary>
    public HashResult Hash => ReadHash(Header);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    internal int Length => _length;

    /// <summary>Reads the hash report fields of a virtio-net header (always little-endian).</summary>
    internal static HashResult ReadHash(ReadOnlySpan<byte> header) => VirtioNetHeader.ReadHashReport(header);
}
