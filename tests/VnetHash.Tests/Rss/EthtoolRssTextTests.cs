using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Tests.Rss;

/// <summary>
/// <c>ethtool -x</c> outputs of several drivers, written from ethtool's print format (a row per 8 entries as
/// <c>%5u:</c> then <c> %5u</c> each, the key as colon hex, one <c>name: on|off</c> line per function and transformation).
/// </summary>
public class EthtoolRssTextTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rss", "EthtoolOutputs", name));

    /// <summary>mlx5: 256 entries over 8 channels, 40-byte key, ethtool ≥ 6.14 with both transformation lines.</summary>
    [Fact]
    public void Mlx5_output_reads_whole()
    {
        EthtoolRss rss = EthtoolRssText.Parse(Sample("mlx5.txt"));
        Assert.Equal("enp65s0f0np0", rss.Device);
        Assert.Equal(8, rss.RingCount);
        Assert.Equal(Enumerable.Range(0, 256).Select(i => (ushort)(i % 8)), rss.IndirectionTable);
        Assert.Equal(40, rss.Key.Count);
        Assert.Equal(EthtoolHashFunctions.Toeplitz, rss.Functions);
        Assert.Equal(EthtoolInputTransform.None, rss.InputTransform);
        Assert.Null(rss.Types);
    }

    /// <summary>ice: 512 entries over 12 queues, 52-byte key, symmetric-xor on, with <c>ethtool -n rx-flow-hash</c> sections (udp4 on addresses only).</summary>
    [Fact]
    public void Ice_output_with_flow_hash_sections()
    {
        EthtoolRss rss = EthtoolRssText.Parse(Sample("ice.txt"));
        Assert.Equal(512, rss.IndirectionTable.Count);
        Assert.Equal(12, rss.QueueCount);
        Assert.Equal(52, rss.Key.Count);
        Assert.Equal(EthtoolInputTransform.SymmetricXor, rss.InputTransform);
        Assert.Equal(HashTypes.AllNonEx & ~HashTypes.UdpV4, rss.Types);
        RssConfiguration configuration = rss.ToConfiguration();
        Assert.Equal(SymmetricMode.Xor, configuration.Symmetric);
        Assert.Equal(HashTypes.AllNonEx & ~HashTypes.UdpV4, configuration.Types);
    }

    /// <summary>ixgbe (82599): the Microsoft key, 128 entries, an ethtool older than the transformation section.</summary>
    [Fact]
    public void Ixgbe_output_gives_the_configuration_typed_by_hand()
    {
        RssConfiguration fromText = EthtoolRssText.Parse(Sample("ixgbe.txt")).ToConfiguration(HashTypes.All);
        var byHand = RssConfiguration.Create(HashTypes.All, ToeplitzKey.MicrosoftKey, EthtoolTable.Equal(128, 16));
        Assert.Equal(byHand.Key.ToArray(), fromText.Key.ToArray());
        Assert.Equal(byHand.IndirectionTable.ToArray(), fromText.IndirectionTable.ToArray());
        Assert.Equal(SymmetricMode.None, fromText.Symmetric);
    }

    /// <summary>virtio_net with VIRTIO_NET_F_RSS (QEMU offers 128 entries and a 40-byte key).</summary>
    [Fact]
    public void Virtio_net_output()
    {
        EthtoolRss rss = EthtoolRssText.Parse(Sample("virtio_net.txt"));
        Assert.Equal(4, rss.QueueCount);
        Assert.Equal(128, rss.ToConfiguration().IndirectionTable.Length);
    }

    /// <summary>virtio_net without VIRTIO_NET_F_RSS reports neither table nor key.</summary>
    [Fact]
    public void A_device_without_a_table_is_told_to_have_no_rss()
    {
        EthtoolRss rss = EthtoolRssText.Parse(Sample("virtio_net-no-rss.txt"));
        var e = Assert.Throws<ConfigurationException>(() => rss.ToConfiguration());
        Assert.Contains("enp1s0 reports no RSS indirection table: it does not support RSS", e.Message);
    }

    /// <summary>ena can hash with crc32; that is not Toeplitz and is said so.</summary>
    [Fact]
    public void A_function_other_than_toeplitz_is_refused_by_name()
    {
        var e = Assert.Throws<ConfigurationException>(() => EthtoolRssText.Parse(Sample("ena-crc32.txt")).ToConfiguration());
        Assert.Contains("ens5 hashes with crc32, not Toeplitz", e.Message);
    }

    /// <summary>tun and veth have no RX rings to report.</summary>
    [Theory]
    [InlineData("Cannot get RX ring count: Operation not supported\n")]
    [InlineData("netlink error: Operation not supported\n")]
    public void Ethtool_errors_say_the_device_has_no_rss(string text)
    {
        var e = Assert.Throws<ConfigurationException>(() => EthtoolRssText.Parse(text));
        Assert.Contains("does not support RSS", e.Message);
        Assert.Throws<ConfigurationException>(() => EthtoolRssText.Parse(Sample("tun.txt")));
    }

    [Fact]
    public void Symmetric_or_xor_is_refused()
    {
        string text = Sample("mlx5.txt").Replace("symmetric-or-xor: off", "symmetric-or-xor: on");
        var e = Assert.Throws<ConfigurationException>(() => EthtoolRssText.Parse(text).ToConfiguration());
        Assert.Contains("symmetric-or-xor", e.Message);
    }

    [Theory]
    [InlineData("hello\n", "no 'RX flow hash indirection table")]
    [InlineData("RX flow hash indirection table for eth0 with 2 RX ring(s):\n    0:      0     1\n    4:      0     1\n", "line 3: the row starts at entry 4, expected 2")]
    [InlineData("RX flow hash indirection table for eth0 with 2 RX ring(s):\n    0:      0     1\nRSS hash key:\n6d:5a:zz\n", "line 4: the hash key")]
    [InlineData("RX flow hash indirection table for eth0 with 2 RX ring(s):\n    0:      0     1\nsomething else\n", "line 3: 'something else'")]

    // Found by fuzzing (ethtool-text): numbers beyond an int overflowed instead of being refused.
    [InlineData("RX flow hash indirection table for eth0 with 4000000000 RX ring(s):\n", "line 1: the RX ring count 4000000000 is out of range (at most 65536)")]
    [InlineData("RX flow hash indirection table for eth0 with 65537 RX ring(s):\n", "line 1: the RX ring count 65537 is out of range")]
    [InlineData("RX flow hash indirection table for eth0 with 0 RX ring(s):\n0: 0\n2200000000000: 0\n", "line 3: the row's first entry 2200000000000 is out of range")]
    public void Malformed_text_names_the_line(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => EthtoolRssText.Parse(text));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Flow_fields_no_type_describes_are_refused()
    {
        string text = Sample("mlx5.txt") + "TCP over IPV4 flows use these fields for computing Hash flow key:\nIP SA\nL4 bytes 0 & 1 [TCP/UDP src port]\n";
        var e = Assert.Throws<ConfigurationException>(() => EthtoolRssText.Parse(text));
        Assert.Contains("tcp4 hashes IP SA, L4 bytes 0 & 1", e.Message);
    }
}
