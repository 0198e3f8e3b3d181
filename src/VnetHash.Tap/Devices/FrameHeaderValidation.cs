using System.Buffers.Binary;
using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Devices;

/// <summary>
/// The checks tun's write path makes on a virtio-net header (kernel-series.md §6.3), made before the write so a bad
/// header is a named error instead of a bare EINVAL. The header is little-endian (the device sets <c>TUNSETVNETLE</c>).
/// </summary>
internal static class FrameHeaderValidation
{
    private const byte NeedsChecksum = 0x01;
    private const byte GsoEcn = 0x80;
    private const byte GsoNone = 0;
    private const byte GsoTcpV4 = 1;
    private const byte GsoUdp = 3;
    private const byte GsoTcpV6 = 4;
    private const byte GsoUdpL4 = 5;
    private const int LegacyHeaderSize = 10;
    private const int EthernetHeaderSize = 14;

    internal static void Validate(ReadOnlySpan<byte> header, ReadOnlySpan<byte> frame, TapDevice device)
    {
        if (header.Length < LegacyHeaderSize)
        {
            return;
        }

        byte flags = header[0];
        byte gsoType = header[1];
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        int gsoSize = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        int checksumStart = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        int checksumOffset = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        byte gso = (byte)(gsoType & ~GsoEcn);

        if (gso is not (GsoNone or GsoTcpV4 or GsoUdp or GsoTcpV6 or GsoUdpL4))
        {
            throw Invalid(device, $"gso_type {gsoType} is not NONE, TCPV4, UDP, TCPV6 or UDP_L4 (with or without ECN 0x80)");
        }

        if (gso == GsoNone && (gsoType & GsoEcn) != 0)
        {
            throw Invalid(device, "the ECN bit needs a TCP gso_type");
        }

        if ((flags & NeedsChecksum) != 0)
        {
            int end = checksumStart + checksumOffset + 2;
            if (end > frame.Length)
            {
                throw Invalid(device, $"NEEDS_CSUM with csum_start {checksumStart} + csum_offset {checksumOffset} + 2 = {end} runs past the {frame.Length}-byte frame");
            }

            headerLength = Math.Max(headerLength, end);
        }

        if (headerLength > header.Length - LegacyHeaderSize + frame.Length)
        {
            throw Invalid(device, $"hdr_len {headerLength} is longer than the frame");
        }

        if (device.IsEthernet && headerLength != 0 && headerLength < EthernetHeaderSize)
        {
            throw Invalid(device, $"hdr_len {headerLength} must be 0 or cover the 14-byte Ethernet header");
        }

        if (gso != GsoNone)
        {
            if (gsoSize == 0 || gsoSize == ushort.MaxValue)
            {
                throw Invalid(device, $"gso_size {gsoSize} is not a segment size (0 and 0xFFFF are refused)");
            }

            if (gso == GsoUdpL4 && ((flags & NeedsChecksum) == 0 || checksumOffset != 6))
            {
                throw Invalid(device, "UDP_L4 segmentation needs NEEDS_CSUM with csum_offset 6");
            }

            if (gso is GsoTcpV4 or GsoTcpV6 && (flags & NeedsChecksum) != 0 && checksumOffset != 16)
            {
                throw Invalid(device, $"TCP segmentation with NEEDS_CSUM needs csum_offset 16, got {checksumOffset}");
            }
        }
    }

    private static TapException Invalid(TapDevice device, string reason) =>
        new(TapError.InvalidFrame, 0, "write", $"write on {device.Name} refused: invalid virtio-net header: {reason}");
}
