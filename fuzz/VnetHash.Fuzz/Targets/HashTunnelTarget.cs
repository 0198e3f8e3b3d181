using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>virtnet_hash_tunnel</c> (<c>VIRTIO_NET_CTRL_HASH_TUNNEL_SET</c>) against any supported tunnel types: one
/// verdict from both decoders; a decoded command holds only supported types, encodes back to the same bytes, and sets
/// exactly its types on a virtio-spec configuration while the linux-tun profile refuses any type.
/// Input: 2 bytes of supported tunnel types (9 bits, little-endian), then the command.
/// </summary>
internal sealed class HashTunnelTarget : IFuzzTarget
{
    private static readonly RssConfiguration Spec = RssConfiguration.RoundRobin(4);
    private static readonly RssConfiguration LinuxTun = Spec.WithProfile(HashProfile.LinuxTun);

    public string Name => "hash-tunnel";

    public void Run(ReadOnlySpan<byte> input)
    {
        Span<byte> prefix = stackalloc byte[2];
        prefix.Clear();
        input[..Math.Min(2, input.Length)].CopyTo(prefix);
        ReadOnlySpan<byte> command = input[Math.Min(2, input.Length)..];
        var supported = (TunnelTypes)(BinaryPrimitives.ReadUInt16LittleEndian(prefix) & (int)TunnelTypes.All);
        var limits = new VirtioNetDeviceLimits(QueuePairs: 4, SupportedTunnelTypes: supported);

        byte[] bytes = command.ToArray();
        bool accepted = VirtioNetHashTunnelConfig.TryDecode(bytes, limits, out _, out ConfigurationRule rule);
        if (Configurations.OneVerdict(() => VirtioNetHashTunnelConfig.Decode(bytes, limits), accepted, rule) is not VirtioNetHashTunnelConfig config)
        {
            return;
        }

        config.Validate(limits);
        Check.That((config.EnabledTunnelTypes & ~supported) == 0, $"types {config.EnabledTunnelTypes} beyond the supported {supported}");
        Check.SequenceEqual(command, config.ToArray(), "the command encoded again");
        Check.Equal(config.EnabledTunnelTypes, config.ApplyTo(Spec).TunnelTypes, "the tunnel types set on a configuration");
        Check.Equal(config.EnabledTunnelTypes, VirtioNetHashTunnelConfig.FromRssConfiguration(config.ApplyTo(Spec)).EnabledTunnelTypes, "the command made from that configuration");
        try
        {
            RssConfiguration applied = config.ApplyTo(LinuxTun);
            Check.Equal(TunnelTypes.None, applied.TunnelTypes, "tunnel types on the linux-tun profile");
        }
        catch (ConfigurationException e)
        {
            Check.That(config.EnabledTunnelTypes != TunnelTypes.None && e.Rule == ConfigurationRule.UnsupportedTunnelTypes, $"linux-tun refused {config.EnabledTunnelTypes} with {e.Rule}");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        byte[] all = [0xFF, 0x01];
        yield return ("vxlan", [.. all, .. new VirtioNetHashTunnelConfig(TunnelTypes.Vxlan).ToArray()]);
        yield return ("all", [.. all, .. new VirtioNetHashTunnelConfig(TunnelTypes.All).ToArray()]);
        yield return ("none", [.. all, .. new VirtioNetHashTunnelConfig(TunnelTypes.None).ToArray()]);
        yield return ("unsupported", [0x10, 0x00, .. new VirtioNetHashTunnelConfig(TunnelTypes.Geneve).ToArray()]);
    }
}
