using VnetHash.Packets;
using VnetHash.Traffic;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// The write-path validator: for any buffer, header size, byte order and device kind, the throwing and the trying
/// forms give one verdict and one rule, a refusal is a <see cref="VirtioNetHeaderException"/> naming a rule, and an
/// accepted write keeps every rule the kernel checks (restated here from the kernel's steps, not from the code).
/// Input: byte 0 picks the header size (bits 0-4: 10 to 41, or below 10 for bit 5), bits 6-7 the byte order and
/// the device kind; the rest is what the application writes.
/// </summary>
internal sealed class WriteValidatorTarget : IFuzzTarget
{
    public string Name => "write-validator";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        int headerSize = (input[0] & 0x20) != 0 ? input[0] & 0x0F : VirtioNetHeader.LegacySize + (input[0] & 0x1F);
        var order = (input[0] & 0x40) != 0 ? VnetByteOrder.BigEndian : VnetByteOrder.LittleEndian;
        var kind = (input[0] & 0x80) != 0 ? FrameKind.IP : FrameKind.Ethernet;
        ReadOnlySpan<byte> buffer = input[1..];

        bool accepted = VirtioNetWriteValidator.TryValidate(buffer, headerSize, order, kind, out VirtioNetHeaderError rule);
        VirtioNetHeader header;
        try
        {
            header = VirtioNetWriteValidator.Validate(buffer, headerSize, order, kind);
        }
        catch (VirtioNetHeaderException e)
        {
            Check.That(!accepted, $"Validate refused ({e.Error}) what TryValidate accepted");
            Check.Equal(rule, e.Error, "the rule Validate names");
            Check.That(e.Error != VirtioNetHeaderError.None && e.Message.Length > e.Error.ToString().Length + 2, $"a refusal without a rule or a reason: {e.Message}");
            return;
        }

        Check.That(accepted, $"TryValidate refused ({rule}) what Validate accepted");
        Check.Equal(VirtioNetHeaderError.None, rule, "the rule of an accepted write");
        CheckAccepted(buffer, headerSize, order, kind, header);
    }

    private static void CheckAccepted(ReadOnlySpan<byte> buffer, int headerSize, VnetByteOrder order, FrameKind kind, VirtioNetHeader header)
    {
        Check.That(headerSize >= VirtioNetHeader.LegacySize && buffer.Length >= headerSize, $"accepted a {buffer.Length}-byte write with a {headerSize}-byte header");
        // The validator reads the header up to the tunnel offsets of the 24-byte form.
        VirtioNetHeader written = VirtioNetHeader.ReadFrom(buffer[..Math.Min(headerSize, VirtioNetHeader.HashTunnelSize)], order);
        bool needsCsum = (written.Flags & VirtioNetHeaderFlags.NeedsCsum) != 0;
        // The kernel compares the sum as an int and stores it back into the 16-bit field.
        int sum = written.CsumStart + written.CsumOffset + 2;
        Check.Equal(needsCsum && sum > written.HdrLen ? written with { HdrLen = (ushort)sum } : written, header, "the header as the kernel uses it");
        Check.That(header.HdrLen <= buffer.Length - VirtioNetHeader.LegacySize, $"hdr_len {header.HdrLen} beyond the data");

        ReadOnlySpan<byte> frame = buffer[headerSize..];
        if (kind == FrameKind.Ethernet)
        {
            Check.That(frame.Length >= 14 && header.HdrLen is 0 or >= 14, $"a TAP frame of {frame.Length} bytes with hdr_len {header.HdrLen}");
        }

        var gso = header.GsoType & ~VirtioNetGsoType.Ecn;
        if (header.GsoType != VirtioNetGsoType.None)
        {
            Check.That(gso is VirtioNetGsoType.TcpV4 or VirtioNetGsoType.TcpV6 or VirtioNetGsoType.Udp or VirtioNetGsoType.UdpL4, $"gso_type {header.GsoType}");
            Check.That(header.GsoSize is not (0 or 0xFFFF), $"gso_size {header.GsoSize}");
            if (gso == VirtioNetGsoType.UdpL4)
            {
                Check.That(needsCsum && header.CsumOffset == 6 && (header.GsoType & VirtioNetGsoType.Ecn) == 0, "UDP segmentation without its checksum rules");
            }
        }

        if (needsCsum)
        {
            int transport = gso switch { VirtioNetGsoType.TcpV4 or VirtioNetGsoType.TcpV6 => 20, VirtioNetGsoType.Udp or VirtioNetGsoType.UdpL4 => 8, _ => 0 };
            if (header.GsoType == VirtioNetGsoType.None)
            {
                transport = 0;
            }

            Check.That(header.CsumStart + Math.Max(transport, header.CsumOffset + 2) <= frame.Length, $"the checksum at {header.CsumStart}+{header.CsumOffset} outside a {frame.Length}-byte frame");
            Check.That(header.CsumStart >= (gso == VirtioNetGsoType.TcpV6 && header.GsoType != VirtioNetGsoType.None ? 40 : 20), $"csum_start {header.CsumStart} inside the network header");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        byte[] tcp4 = new FrameBuilder().Ethernet().IPv4("192.0.2.1", "192.0.2.2").Tcp(1, 2).Payload(3000).Build();
        byte[] udp6 = new FrameBuilder().IPv6("2001:db8::1", "2001:db8::2").Udp(1, 2).Payload(2000).Build();
        yield return ("plain-tap", Write(12, VnetByteOrder.LittleEndian, FrameKind.Ethernet, new VirtioNetHeader(), tcp4));
        yield return ("tso-csum-tap", Write(12, VnetByteOrder.LittleEndian, FrameKind.Ethernet, new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum, VirtioNetGsoType.TcpV4, 54, 1448, 34, 16), tcp4));
        yield return ("tso-nocsum-tap", Write(20, VnetByteOrder.BigEndian, FrameKind.Ethernet, new VirtioNetHeader(gsoType: VirtioNetGsoType.TcpV4 | VirtioNetGsoType.Ecn, gsoSize: 1448), tcp4));
        yield return ("uso-tun", Write(10, VnetByteOrder.LittleEndian, FrameKind.IP, new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum, VirtioNetGsoType.UdpL4, 48, 1000, 40, 6), udp6));
        yield return ("ufo-nocsum-tun", Write(24, VnetByteOrder.LittleEndian, FrameKind.IP, new VirtioNetHeader(gsoType: VirtioNetGsoType.Udp, gsoSize: 1000), udp6));
    }

    private static byte[] Write(int headerSize, VnetByteOrder order, FrameKind kind, VirtioNetHeader header, byte[] frame)
    {
        var bytes = new byte[headerSize];
        header.WriteTo(bytes, order);
        byte mode = (byte)((headerSize - VirtioNetHeader.LegacySize) | (order == VnetByteOrder.BigEndian ? 0x40 : 0) | (kind == FrameKind.IP ? 0x80 : 0));
        return [mode, .. bytes, .. frame];
    }
}
