using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Ethtool;
using VnetHash.Tap.Tests.Infrastructure;

namespace VnetHash.Tap.Tests.Ethtool;

/// <summary>SIOCETHTOOL reading of RSS settings, on devices the test creates in its own namespace.</summary>
public class EthtoolDeviceTests
{
    /// <summary>tun has no ethtool RSS operations: the kernel answers EOPNOTSUPP and the message says there is no RSS.</summary>
    [RootFact]
    public void A_tap_has_no_rss_and_is_told_so()
    {
        using var ns = new NetworkNamespace();
        using var tap = TestTaps.Create(ns, queues: 2);
        var e = ns.Invoke(() => Assert.Throws<TapException>(() => EthtoolDevice.ReadRss(tap.Name)));
        Assert.Equal(TapError.NotSupported, e.Error);
        Assert.Contains($"{tap.Name} does not support RSS", e.Message);
    }

    /// <summary>veth has none either.</summary>
    [RootFact]
    public void A_veth_has_no_rss_and_is_told_so()
    {
        using var ns = new NetworkNamespace();
        string name = TestTaps.NewName();
        ns.Exec("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        var e = ns.Invoke(() => Assert.Throws<TapException>(() => EthtoolDevice.ReadRss(name)));
        Assert.Equal(TapError.NotSupported, e.Error);
        Assert.Contains("does not support RSS", e.Message);
    }

    [RootFact]
    public void A_missing_device_is_named()
    {
        using var ns = new NetworkNamespace();
        var e = ns.Invoke(() => Assert.Throws<TapException>(() => EthtoolDevice.ReadRss("vnhnosuchdev")));
        Assert.Equal(TapError.DeviceGone, e.Error);
        Assert.Contains("vnhnosuchdev", e.Message);
    }

    [Fact]
    public void Names_longer_than_an_interface_name_are_refused() =>
        Assert.Throws<ArgumentException>(() => EthtoolDevice.ReadRss("a-name-of-16-chr"));

    /// <summary>struct ethtool_rxfh: cmd, rss_context, indir_size, key_size, hfunc, input_xfrm, 2 + 4 reserved bytes, then the u32 table and the key.</summary>
    [Fact]
    public void A_grssh_reply_decodes_into_the_configuration_typed_by_hand()
    {
        ushort[] table = EthtoolTable.Parse("equal 6", 128, 6);
        byte[] key = ToeplitzKey.MicrosoftKey.ToArray();
        var reply = new byte[24 + 4 * table.Length + key.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(reply, 0x46);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(8), (uint)table.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(12), (uint)key.Length);
        reply[16] = 1;
        reply[17] = 1;
        for (int i = 0; i < table.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(24 + 4 * i), table[i]);
        }

        key.CopyTo(reply, 24 + 4 * table.Length);
        EthtoolRss rss = EthtoolDevice.Decode("eth9", 6, reply, HashTypes.AllNonEx & ~HashTypes.UdpV4);
        RssConfiguration configuration = rss.ToConfiguration();
        Assert.Equal(table, configuration.IndirectionTable.ToArray());
        Assert.Equal(key, configuration.Key.ToArray());
        Assert.Equal(SymmetricMode.Xor, configuration.Symmetric);
        Assert.Equal(HashTypes.AllNonEx & ~HashTypes.UdpV4, configuration.Types);
        Assert.Equal(6, rss.QueueCount);
    }
}
