using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// The vnet header codec: any header of 10 to 24 bytes in any byte order reads, writes back to the same bytes for every
/// field that fits, the tunnel offsets of the 24-byte header included (zeros elsewhere, the padding included), and reads again to the same fields; the hash report
/// readers and writers agree with it. Input: byte 0 picks the byte order; the rest is the header.
/// </summary>
internal sealed class VnetHeaderTarget : IFuzzTarget
{
    public string Name => "vnet-header";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 1 + VirtioNetHeader.LegacySize)
        {
            return;
        }

        var order = (VnetByteOrder)(input[0] % 3);
        ReadOnlySpan<byte> source = input[1..Math.Min(input.Length, 1 + VirtioNetHeader.HashSize + 4)];
        VirtioNetHeader header = VirtioNetHeader.ReadFrom(source, order);

        Span<byte> written = stackalloc byte[source.Length];
        written.Fill(0xA5);
        header.WriteTo(written, order);
        // What writing back must give: the source's fields, zeros for the padding and for everything past the fields.
        Span<byte> expected = stackalloc byte[source.Length];
        expected.Clear();
        int fields = source.Length >= VirtioNetHeader.HashTunnelSize ? VirtioNetHeader.HashTunnelSize
            : source.Length >= VirtioNetHeader.HashSize ? VirtioNetHeader.PaddingOffset
            : source.Length >= VirtioNetHeader.MergeableRxBufSize ? VirtioNetHeader.MergeableRxBufSize
            : VirtioNetHeader.LegacySize;
        source[..fields].CopyTo(expected);
        if (fields == VirtioNetHeader.HashTunnelSize)
        {
            expected[VirtioNetHeader.PaddingOffset..VirtioNetHeader.OuterThOffsetOffset].Clear();
        }

        Check.SequenceEqual<byte>(expected, written, $"a {source.Length}-byte header written back (its fields, zeros elsewhere)");
        Check.Equal(header, VirtioNetHeader.ReadFrom(written, order), "the header read again");

        HashResult hash = VirtioNetHeader.ReadHashReport(source);
        Check.Equal(source.Length >= VirtioNetHeader.HashSize ? header.Hash : HashResult.None, hash, "ReadHashReport");
        Span<byte> copy = stackalloc byte[source.Length];
        source.CopyTo(copy);
        bool wrote = VirtioNetHeader.TryWriteHashReport(copy, new HashResult(~hash.Value, HashReport.UdpV6Ex));
        Check.Equal(source.Length >= VirtioNetHeader.HashSize, wrote, "TryWriteHashReport");
        if (wrote)
        {
            Check.Equal(new HashResult(~hash.Value, HashReport.UdpV6Ex), VirtioNetHeader.ReadHashReport(copy), "the hash report written");
            Check.SequenceEqual(source[..VirtioNetHeader.HashValueOffset], copy[..VirtioNetHeader.HashValueOffset], "the fields before the hash");
            Check.SequenceEqual(source[VirtioNetHeader.HashSize..], copy[VirtioNetHeader.HashSize..], "the bytes after the hash header");
        }
        else
        {
            Check.SequenceEqual(source, copy, "a header too short for the hash, after TryWriteHashReport");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var gso = new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum, VirtioNetGsoType.TcpV4, 54, 1448, 34, 16, 1, 0x12345678, HashReport.TcpV4);
        foreach ((string name, int size, VnetByteOrder order) in new[] { ("legacy", 10, VnetByteOrder.Native), ("mrg-rxbuf", 12, VnetByteOrder.LittleEndian), ("hash", 20, VnetByteOrder.LittleEndian), ("hash-be", 20, VnetByteOrder.BigEndian), ("padded", 24, VnetByteOrder.LittleEndian) })
        {
            var bytes = new byte[size];
            gso.WriteTo(bytes, order);
            yield return (name, [(byte)order, .. bytes]);
        }
    }
}
