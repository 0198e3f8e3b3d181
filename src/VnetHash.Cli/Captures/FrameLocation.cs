using System.Runtime.CompilerServices;
using VnetHash.Packets;

namespace VnetHash.Cli.Captures;

/// <summary>Where the frame the dissector takes starts within a captured packet, and what it is.</summary>
public readonly record struct FrameLocation
{
    // One word, so a location moves in one register: as two fields, an ahead-of-time build stored them apart and read
    // them back as one word, which waits for both stores (about a fifth of the per-packet steering).
    private readonly ulong _packed;

    /// <param name="offset">Bytes of pseudo-header to skip.</param>
    /// <param name="kind">What follows.</param>
    public FrameLocation(int offset, PayloadKind kind) => _packed = (uint)offset | ((ulong)(uint)kind << 32);

    /// <summary>Bytes of pseudo-header to skip.</summary>
    public int Offset => (int)(uint)_packed;

    /// <summary>What follows.</summary>
    public PayloadKind Kind => (PayloadKind)(int)(_packed >> 32);

    /// <summary>
    /// The Ethernet frame or IP packet in <paramref name="packet"/> and the kind the dissector takes it as; false (and
    /// nothing) when no frame the hash rules read follows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetFrame(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> frame, out FrameKind kind)
    {
        if (Kind is not (PayloadKind.Ethernet or PayloadKind.IP))
        {
            frame = default;
            kind = default;
            return false;
        }

        frame = packet[Offset..];
        kind = Kind == PayloadKind.IP ? FrameKind.IP : FrameKind.Ethernet;
        return true;
    }
}
