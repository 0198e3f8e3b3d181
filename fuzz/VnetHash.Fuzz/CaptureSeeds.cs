using System.Buffers.Binary;
using System.IO.Compression;
using VnetHash.Cli.Captures;

namespace VnetHash.Fuzz;

/// <summary>Small captures for the seeds of the capture targets: both containers, both byte orders, the link types the tool reads.</summary>
internal static class CaptureSeeds
{
    private static readonly byte[][] Frames = [.. SeedFrames.All().Where(f => !f.IP).Take(4).Select(f => f.Frame)];

    private static readonly byte[][] Packets = [.. SeedFrames.All().Where(f => f.IP).Select(f => f.Frame)];

    public static IEnumerable<(string Name, byte[] Bytes)> Pcap()
    {
        yield return ("ethernet-usec-le", PcapFile(0xa1b2c3d4, bigEndian: false, LinkType.Ethernet, Frames));
        yield return ("raw-nsec-be", PcapFile(0xa1b23c4d, bigEndian: true, LinkType.Raw, Packets));
        yield return ("sll-ipv6", PcapFile(0xa1b2c3d4, bigEndian: false, LinkType.LinuxSll, [.. Packets.Select(p => (byte[])[0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, p[0] >> 4 == 6 ? (byte)0x86 : (byte)0x08, p[0] >> 4 == 6 ? (byte)0xdd : (byte)0x00, .. p])]));
        yield return ("null-loopback", PcapFile(0xa1b2c3d4, bigEndian: false, LinkType.Null, [.. Packets.Select(p => (byte[])[2, 0, 0, 0, .. p])]));
        byte[] cut = PcapFile(0xa1b2c3d4, bigEndian: false, LinkType.Ethernet, Frames);
        yield return ("cut-short", cut[..^7]);
        yield return ("gzip", Gzip(PcapFile(0xa1b2c3d4, bigEndian: false, LinkType.Ethernet, Frames[..2])));
    }

    public static IEnumerable<(string Name, byte[] Bytes)> Pcapng()
    {
        var written = new MemoryStream();
        using (var writer = new PcapngWriter(written, LinkType.Ethernet, "vnethash fuzz seeds"))
        {
            for (int i = 0; i < Frames.Length; i++)
            {
                writer.WritePacket(Frames[i], 1_700_000_000_000_000_000 + i);
            }
        }

        yield return ("writer", written.ToArray());
        yield return ("gzip", Gzip(written.ToArray()));
        yield return ("blocks-be", HandMade(bigEndian: true));
        yield return ("blocks-le", HandMade(bigEndian: false));
    }

    private static byte[] PcapFile(uint magic, bool bigEndian, LinkType linkType, byte[][] packets)
    {
        var b = new Bytes(bigEndian);
        b.U32(magic).U16(2).U16(4).U32(0).U32(0).U32(65535).U32((uint)linkType);
        for (int i = 0; i < packets.Length; i++)
        {
            b.U32(1_700_000_000 + (uint)i).U32(1000 * (uint)i).U32((uint)packets[i].Length).U32((uint)packets[i].Length + (uint)i).Raw(packets[i]);
        }

        return b.ToArray();
    }

    // A section with two interfaces (one with if_tsresol 2^-20 and if_tsoffset), an Enhanced, a Simple and an obsolete
    // Packet Block, a block of an unknown type, then a section of major version 2 that is skipped whole.
    private static byte[] HandMade(bool bigEndian)
    {
        var b = new Bytes(bigEndian);
        Block(b, 0x0A0D0D0A, new Bytes(bigEndian).U32(0x1A2B3C4D).U16(1).U16(0).U32(0xFFFFFFFF).U32(0xFFFFFFFF));
        Block(b, 1, new Bytes(bigEndian).U16((ushort)LinkType.Ethernet).U16(0).U32(96).U16(9).U16(1).Raw(0x94, 0, 0, 0).U16(14).U16(8).U32(0).U32(60).U16(0).U16(0));
        Block(b, 1, new Bytes(bigEndian).U16((ushort)LinkType.IPv4).U16(0).U32(0));
        Block(b, 6, new Bytes(bigEndian).U32(0).U32(1).U32(2).U32((uint)Frames[0].Length).U32(1500).Raw(Padded(Frames[0])));
        Block(b, 3, new Bytes(bigEndian).U32((uint)Frames[1].Length).Raw(Padded(Frames[1])));
        Block(b, 2, new Bytes(bigEndian).U16(1).U16(0).U32(0).U32(7).U32((uint)Packets[0].Length).U32((uint)Packets[0].Length).Raw(Padded(Packets[0])));
        Block(b, 0x0BAD, new Bytes(bigEndian).U32(42));
        Block(b, 0x0A0D0D0A, new Bytes(bigEndian).U32(0x1A2B3C4D).U16(2).U16(0).U32(0xFFFFFFFF).U32(0xFFFFFFFF));
        Block(b, 6, new Bytes(bigEndian).U32(0).U32(0).U32(0).U32(4).U32(4).Raw(1, 2, 3, 4));
        return b.ToArray();
    }

    private static void Block(Bytes file, uint type, Bytes body)
    {
        uint length = (uint)(12 + body.Length);
        file.U32(type).U32(length).Raw(body.ToArray()).U32(length);
    }

    private static byte[] Padded(byte[] data) => [.. data, .. new byte[(4 - (data.Length % 4)) % 4]];

    private static byte[] Gzip(byte[] data)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }

    private sealed class Bytes(bool bigEndian)
    {
        private readonly List<byte> _bytes = [];

        public int Length => _bytes.Count;

        public byte[] ToArray() => [.. _bytes];

        public Bytes U16(ushort value) => Number(value, 2);

        public Bytes U32(uint value) => Number(value, 4);

        public Bytes Raw(params ReadOnlySpan<byte> bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        private Bytes Number(uint value, int size)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, bigEndian ? value << (8 * (4 - size)) : BinaryPrimitives.ReverseEndianness(value));
            return Raw(b[..size]);
        }
    }
}
