using CsCheck;
using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Tests.VirtioNet;

/// <summary>The vnet header layout: kernel-series §5.1, virtio spec §1.7 of the reference.</summary>
public class VirtioNetHeaderTests
{
    private static readonly VirtioNetHeader Sample = new(
        VirtioNetHeaderFlags.NeedsCsum,
        VirtioNetGsoType.TcpV4 | VirtioNetGsoType.Ecn,
        hdrLen: 0x0102,
        gsoSize: 0x0304,
        csumStart: 0x0506,
        csumOffset: 0x0708,
        numBuffers: 0x090a,
        hashValue: 0x6e45d952,
        hashReport: HashReport.IPv4);

    private static readonly Gen<VirtioNetHeader> GenHeader =
        Gen.Select(Gen.Byte, Gen.Byte, Gen.UShort, Gen.UShort, Gen.UShort, Gen.UShort, Gen.UShort, Gen.UInt, Gen.UShort,
            (flags, gso, hdrLen, gsoSize, start, offset, buffers, hash, report) =>
                new VirtioNetHeader((VirtioNetHeaderFlags)flags, (VirtioNetGsoType)gso, hdrLen, gsoSize, start, offset, buffers, hash, (HashReport)report));

    private static readonly Gen<VnetByteOrder> GenOrder = Gen.Int[0, 2].Select(i => (VnetByteOrder)i);

    [Fact]
    public void Sizes_are_the_three_kernel_structures()
    {
        Assert.Equal(10, VirtioNetHeader.LegacySize);
        Assert.Equal(12, VirtioNetHeader.MergeableRxBufSize);
        Assert.Equal(20, VirtioNetHeader.HashSize);
    }

    [Fact]
    public void Little_endian_20_byte_header_has_the_v1_hash_layout()
    {
        var bytes = new byte[20];
        Sample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal("0181" + "0201" + "0403" + "0605" + "0807" + "0a09" + "52d9456e" + "0100" + "0000", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Big_endian_header_swaps_the_virtio16_fields_but_hash_fields_stay_little_endian()
    {
        // kernel-series §6.2: the hash fields ignore the vnet endianness; 0x6e45d952 is bytes 52 d9 45 6e at offset 12.
        var bytes = new byte[20];
        Sample.WriteTo(bytes, VnetByteOrder.BigEndian);
        Assert.Equal("0181" + "0102" + "0304" + "0506" + "0708" + "090a" + "52d9456e" + "0100" + "0000", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Native_order_is_the_host_order()
    {
        var native = new byte[20];
        var expected = new byte[20];
        Sample.WriteTo(native, VnetByteOrder.Native);
        Sample.WriteTo(expected, BitConverter.IsLittleEndian ? VnetByteOrder.LittleEndian : VnetByteOrder.BigEndian);
        Assert.Equal(expected, native);
    }

    [Fact]
    public void Legacy_10_byte_header_writes_no_num_buffers_and_no_hash()
    {
        var bytes = new byte[10];
        Sample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal("01810201040306050807", Convert.ToHexStringLower(bytes));
        var read = VirtioNetHeader.ReadFrom(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal(Sample with { NumBuffers = 0, HashValue = 0, HashReport = HashReport.None }, read);
    }

    [Fact]
    public void Mergeable_12_byte_header_writes_num_buffers_and_no_hash()
    {
        var bytes = new byte[12];
        Sample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal("018102010403060508070a09", Convert.ToHexStringLower(bytes));
        Assert.Equal(Sample with { HashValue = 0, HashReport = HashReport.None }, VirtioNetHeader.ReadFrom(bytes, VnetByteOrder.LittleEndian));
    }

    [Fact]
    public void Header_between_12_and_20_bytes_is_zero_after_num_buffers()
    {
        // kernel-series §5.2: the hash fields are written only when vnet_hdr_sz >= 20.
        var bytes = Enumerable.Repeat((byte)0xAA, 16).ToArray();
        Sample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal("018102010403060508070a09" + "00000000", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Header_of_24_bytes_is_zero_filled_after_the_hash_fields()
    {
        // "tun: Pad virtio headers": the rest of vnet_hdr_sz is zero.
        var bytes = Enumerable.Repeat((byte)0xAA, 24).ToArray();
        Sample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal("0181" + "0201" + "0403" + "0605" + "0807" + "0a09" + "52d9456e" + "0100" + "0000" + "00000000", Convert.ToHexStringLower(bytes));
        Assert.Equal(Sample, VirtioNetHeader.ReadFrom(bytes, VnetByteOrder.LittleEndian));
    }

    [Fact]
    public void Padding_is_written_as_zero()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 20).ToArray();
        Sample.WriteTo(bytes, VnetByteOrder.LittleEndian);
        Assert.Equal(0, bytes[18]);
        Assert.Equal(0, bytes[19]);
    }

    [Fact]
    public void Header_shorter_than_10_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => VirtioNetHeader.ReadFrom(new byte[9], VnetByteOrder.LittleEndian));
        Assert.Throws<ArgumentException>(() => Sample.WriteTo(new byte[9], VnetByteOrder.LittleEndian));
    }

    [Fact]
    public void WriteHashReport_touches_only_bytes_12_to_19()
    {
        var bytes = Enumerable.Repeat((byte)0xAA, 24).ToArray();
        VirtioNetHeader.WriteHashReport(bytes, new HashResult(0x6e45d952, HashReport.TcpV6));
        Assert.Equal("aaaaaaaaaaaaaaaaaaaaaaaa" + "52d9456e" + "0500" + "0000" + "aaaaaaaa", Convert.ToHexStringLower(bytes));
        Assert.Equal(new HashResult(0x6e45d952, HashReport.TcpV6), VirtioNetHeader.ReadHashReport(bytes));
    }

    [Fact]
    public void WriteHashReport_refuses_a_header_without_hash_fields_and_TryWriteHashReport_leaves_it_alone()
    {
        var bytes = Enumerable.Repeat((byte)0xAA, 19).ToArray();
        Assert.Throws<ArgumentException>(() => VirtioNetHeader.WriteHashReport(bytes, new HashResult(1, HashReport.IPv4)));
        Assert.False(VirtioNetHeader.TryWriteHashReport(bytes, new HashResult(1, HashReport.IPv4)));
        Assert.All(bytes, b => Assert.Equal(0xAA, b));
        Assert.Equal(HashResult.None, VirtioNetHeader.ReadHashReport(bytes));
    }

    [Fact]
    public void Every_header_round_trips_at_20_bytes_and_more_in_every_byte_order()
    {
        Gen.Select(GenHeader, GenOrder, Gen.Int[20, 64]).Sample((header, order, size) =>
        {
            var bytes = new byte[size];
            header.WriteTo(bytes, order);
            Assert.Equal(header, VirtioNetHeader.ReadFrom(bytes, order));
            Assert.All(bytes[20..], b => Assert.Equal(0, b));
            Assert.Equal(header.Hash, VirtioNetHeader.ReadHashReport(bytes));
        });
    }

    [Fact]
    public void Shorter_headers_round_trip_the_fields_that_fit()
    {
        Gen.Select(GenHeader, GenOrder, Gen.Int[10, 19]).Sample((header, order, size) =>
        {
            var bytes = new byte[size];
            header.WriteTo(bytes, order);
            var expected = header with
            {
                NumBuffers = size >= 12 ? header.NumBuffers : (ushort)0,
                HashValue = 0,
                HashReport = HashReport.None,
            };
            Assert.Equal(expected, VirtioNetHeader.ReadFrom(bytes, order));
        });
    }

    [Fact]
    public void Hash_fields_are_the_same_bytes_in_every_byte_order()
    {
        Gen.Select(GenHeader, GenOrder).Sample((header, order) =>
        {
            var little = new byte[20];
            var other = new byte[20];
            header.WriteTo(little, VnetByteOrder.LittleEndian);
            header.WriteTo(other, order);
            Assert.Equal(little[12..20], other[12..20]);
        });
    }

    [Fact]
    public void WithHash_and_Hash_carry_the_hash_fields()
    {
        var header = new VirtioNetHeader().WithHash(new HashResult(0xfb63539a, HashReport.UdpV4));
        Assert.Equal(0xfb63539au, header.HashValue);
        Assert.Equal(HashReport.UdpV4, header.HashReport);
        Assert.Equal(new HashResult(0xfb63539a, HashReport.UdpV4), header.Hash);
    }
}
