using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary>The per-packet paths (header codec, hash report, write validation) allocate nothing.</summary>
public class PerPacketAllocationTests
{
    private static long AllocatedBy(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Header_codec_and_hash_report_allocate_nothing()
    {
        var buffer = new byte[24];
        var header = new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum, VirtioNetGsoType.TcpV4, 54, 1448, 34, 16, 1, 0x6e45d952, HashReport.TcpV4);
        Assert.Equal(0, AllocatedBy(() =>
        {
            header.WriteTo(buffer, VnetByteOrder.BigEndian);
            _ = VirtioNetHeader.ReadFrom(buffer, VnetByteOrder.BigEndian);
            VirtioNetHeader.WriteHashReport(buffer, new HashResult(1, HashReport.IPv4));
            _ = VirtioNetHeader.ReadHashReport(buffer);
        }));
    }

    [Fact]
    public void TryValidate_allocates_nothing_whether_it_accepts_or_refuses()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1000, 80).Payload(new byte[100]).Build();
        var good = new byte[12 + frame.Length];
        new VirtioNetHeader(VirtioNetHeaderFlags.NeedsCsum, VirtioNetGsoType.TcpV4, 0, 1448, 34, 16).WriteTo(good.AsSpan(0, 12), VnetByteOrder.LittleEndian);
        frame.CopyTo(good, 12);
        var bad = (byte[])good.Clone();
        bad[1] = 2;

        Assert.Equal(0, AllocatedBy(() =>
        {
            Assert.True(VirtioNetWriteValidator.TryValidate(good, 12, VnetByteOrder.LittleEndian, FrameKind.Ethernet, out _));
            Assert.False(VirtioNetWriteValidator.TryValidate(bad, 12, VnetByteOrder.LittleEndian, FrameKind.Ethernet, out _));
        }));
    }
}
