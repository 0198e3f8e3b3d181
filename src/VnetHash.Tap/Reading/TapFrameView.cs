using VnetHash.Hashing;

namespace VnetHash.Tap.Reading;

/// <summary>
/// One received frame lent by its reader: its virtio-net header (hash report written) and the Ethernet frame (TAP)
/// or IP packet (TUN), in the reader's own buffer. Valid only until the handler it was given to returns; keep a
/// frame longer with <see cref="ToFrame"/>, which copies it.
/// </summary>
public readonly ref struct TapFrameView
{
    internal TapFrameView(ReadOnlySpan<byte> packet, int headerSize, int queue)
    {
        Packet = packet;
        HeaderSize = headerSize;
        Queue = queue;
    }

    /// <summary>The receive queue the frame was steered to.</summary>
    public int Queue { get; }

    /// <summary>The virtio-net header size (0 when the device has none).</summary>
    public int HeaderSize { get; }

    /// <summary>The header and the frame, as read from the device.</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>The virtio-net header.</summary>
    public ReadOnlySpan<byte> Header => Packet[..HeaderSize];

    /// <summary>The frame after the header.</summary>
    public ReadOnlySpan<byte> Frame => Packet[HeaderSize..];

    /// <summary>The hash report of the header (<c>hash_value</c> LE32 @12, <c>hash_report</c> LE16 @16); none when the header is shorter than 20 bytes.</summary>
    public HashResult Hash => TapFrame.ReadHash(Header);

    /// <summary>Copies the frame into a pooled buffer the caller owns (dispose it once).</summary>
    public TapFrame ToFrame() => TapFrame.Copy(Packet, HeaderSize, Queue);
}
