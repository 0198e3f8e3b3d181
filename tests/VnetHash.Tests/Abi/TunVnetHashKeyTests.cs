using VnetHash.Abi;
using VnetHash.Hashing;

namespace VnetHash.Tests.Abi;

/// <summary>The key-length quirk of kernel-series §3.7 and the encoders' fixed 40-byte key region.</summary>
public class TunVnetHashKeyTests
{
    [Theory]
    [InlineData(0x3F, 40)]
    [InlineData(0x01, 40)]
    [InlineData(0x02, 40)]
    [InlineData(0x04, 40)]
    [InlineData(0x08, 4)]
    [InlineData(0x38, 4)]
    [InlineData(0x1C0, 4)]
    [InlineData(0x00, 4)]
    public void Kernel_reads_40_key_bytes_only_with_an_IPv4_family_type(uint types, int expected)
    {
        Assert.Equal(expected, TunVnetHashKey.KernelKeyLengthRead((HashTypes)types));
    }

    [Theory]
    [InlineData(0x3F, true)]
    [InlineData(0x09, true)]
    [InlineData(0x08, false)]
    [InlineData(0x38, false)]
    [InlineData(0x00, true)]
    [InlineData(0x1C0, true)]
    public void Kernel_hashes_correctly_unless_an_IPv6_type_comes_without_an_IPv4_family_type(uint types, bool expected)
    {
        Assert.Equal(expected, TunVnetHashKey.KernelHashesCorrectly((HashTypes)types));
    }
}
