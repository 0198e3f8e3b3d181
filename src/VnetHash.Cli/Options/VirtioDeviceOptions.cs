using System.Globalization;
using System.Text.Json;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Cli.Options;

/// <summary>
/// The virtio-net device side of <c>config</c>: the device configuration (<c>virtio_net_config</c>) a device serving
/// a configuration's profile shows, and the inner-header hash command (<c>virtnet_hash_tunnel</c>), printed for people.
/// </summary>
internal static class VirtioDeviceOptions
{
    /// <summary>VIRTIO_NET_S_LINK_UP.</summary>
    private const ushort LinkUp = 1;

    private static readonly (VirtioNetFeatures Feature, string Name)[] FeatureNames =
    [
        (VirtioNetFeatures.Mtu, "MTU"),
        (VirtioNetFeatures.Mac, "MAC"),
        (VirtioNetFeatures.MrgRxBuf, "MRG_RXBUF"),
        (VirtioNetFeatures.Status, "STATUS"),
        (VirtioNetFeatures.CtrlVq, "CTRL_VQ"),
        (VirtioNetFeatures.Mq, "MQ"),
        (VirtioNetFeatures.Version1, "VERSION_1"),
        (VirtioNetFeatures.HashTunnel, "HASH_TUNNEL"),
        (VirtioNetFeatures.HashReport, "HASH_REPORT"),
        (VirtioNetFeatures.Rss, "RSS"),
        (VirtioNetFeatures.SpeedDuplex, "SPEED_DUPLEX"),
    ];

    /// <summary>The features of the device <see cref="DeviceFor"/> describes with the virtio-spec profile, and what <c>config decode --virtio device_config</c> assumes.</summary>
    public const VirtioNetFeatures DefaultFeatures = VirtioNetFeatures.Mac | VirtioNetFeatures.Status | VirtioNetFeatures.CtrlVq | VirtioNetFeatures.Mq
        | VirtioNetFeatures.Version1 | VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport | VirtioNetFeatures.HashTunnel;

    /// <summary>
    /// What a device that serves <paramref name="configuration"/> over <paramref name="queues"/> queue pairs shows: the
    /// hash and encapsulation types its profile supports (VnetHash's virtio-spec profile every one, linux-tun the
    /// series' six hash types and no <c>VIRTIO_NET_F_HASH_TUNNEL</c>), room for its key and table, the link up.
    /// </summary>
    public static VirtioNetDeviceConfig DeviceFor(RssConfiguration configuration, int queues)
    {
        if (queues > VirtioNetDeviceLimits.MaxQueuePairs)
        {
            throw new UsageException($"--queues: a virtio-net device has at most {VirtioNetDeviceLimits.MaxQueuePairs} queue pairs (max_virtqueue_pairs), got {queues}");
        }

        bool linuxTun = configuration.Profile == HashProfile.LinuxTun;
        return new VirtioNetDeviceConfig(
            linuxTun ? DefaultFeatures & ~VirtioNetFeatures.HashTunnel : DefaultFeatures,
            status: LinkUp,
            maxVirtqueuePairs: (ushort)queues,
            rssMaxKeySize: (byte)Math.Max(VirtioNetDeviceLimits.DefaultMaxKeySize, configuration.Key.Length),
            rssMaxIndirectionTableLength: (ushort)Math.Max(VirtioNetDeviceLimits.DefaultMaxIndirectionTableLength, configuration.IndirectionTable.Length),
            supportedHashTypes: linuxTun ? HashTypes.AllNonEx : HashTypes.All,
            supportedTunnelTypes: TunnelSupport.SupportedBy(configuration.Profile));
    }

    /// <summary>Reads <c>--features</c>: a 0x mask of virtio feature bits.</summary>
    public static VirtioNetFeatures ParseFeatures(string? text)
    {
        if (text is null)
        {
            return DefaultFeatures;
        }

        string trimmed = text.Trim();
        return trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && ulong.TryParse(trimmed.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask)
            ? (VirtioNetFeatures)mask
            : throw new UsageException($"--features: '{trimmed}' is not a 0x mask of virtio feature bits (for example 0x{(ulong)DefaultFeatures:x})");
    }

    /// <summary>The named features set in <paramref name="features"/>, as the spec spells them after <c>VIRTIO_NET_F_</c>.</summary>
    public static string FormatFeatures(VirtioNetFeatures features)
    {
        string[] names = [.. FeatureNames.Where(f => (features & f.Feature) != 0).Select(f => f.Name)];
        return names.Length == 0 ? "none" : string.Join(',', names);
    }

    public static void PrintDevice(VirtioNetDeviceConfig device, bool json, TextWriter stdout)
    {
        bool has(VirtioNetFeatures any) => (device.Features & any) != 0;
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("features", $"0x{(ulong)device.Features:x}");
                w.WriteString("feature_names", FormatFeatures(device.Features));
                w.WriteString("mac", Hex.FormatColon(device.Mac));
                w.WriteNumber("status", device.Status);
                w.WriteNumber("max_virtqueue_pairs", device.MaxVirtqueuePairs);
                w.WriteNumber("mtu", device.Mtu);
                w.WriteNumber("speed", device.Speed);
                w.WriteNumber("duplex", device.Duplex);
                w.WriteNumber("rss_max_key_size", device.RssMaxKeySize);
                w.WriteNumber("rss_max_indirection_table_length", device.RssMaxIndirectionTableLength);
                w.WriteString("supported_hash_types", HashTypesParser.Format(device.SupportedHashTypes & HashTypes.All));
                w.WriteNumber("supported_hash_types_mask", (uint)device.SupportedHashTypes);
                WriteTunnelTypes(w, "supported_tunnel_types", device.SupportedTunnelTypes);
            });
            return;
        }

        stdout.WriteLine($"Features: 0x{(ulong)device.Features:x} ({FormatFeatures(device.Features)})");
        stdout.WriteLine($"MAC: {Hex.FormatColon(device.Mac)}");
        stdout.WriteLine($"Status: 0x{device.Status:x}");
        stdout.WriteLine($"Max virtqueue pairs: {device.MaxVirtqueuePairs}");
        if (has(VirtioNetFeatures.Mtu))
        {
            stdout.WriteLine($"MTU: {device.Mtu}");
        }

        if (has(VirtioNetFeatures.SpeedDuplex))
        {
            stdout.WriteLine($"Speed: 0x{device.Speed:x}, duplex 0x{device.Duplex:x2}");
        }

        stdout.WriteLine($"RSS max key size: {device.RssMaxKeySize}");
        stdout.WriteLine($"RSS max indirection table length: {device.RssMaxIndirectionTableLength}");
        stdout.WriteLine($"Supported hash types: {HashTypesParser.Format(device.SupportedHashTypes & HashTypes.All)} (0x{(uint)device.SupportedHashTypes:x})");
        stdout.WriteLine(has(VirtioNetFeatures.HashTunnel)
            ? $"Supported tunnel types: {TunnelTypesParser.Format(device.SupportedTunnelTypes & TunnelTypes.All)} (0x{(uint)device.SupportedTunnelTypes:x})"
            : "Supported tunnel types: none (VIRTIO_NET_F_HASH_TUNNEL not offered)");
    }

    public static void PrintHashTunnel(VirtioNetHashTunnelConfig command, bool json, TextWriter stdout)
    {
        if (json)
        {
            JsonOutput.Write(stdout, w => WriteTunnelTypes(w, "enabled_tunnel_types", command.EnabledTunnelTypes));
            return;
        }

        stdout.WriteLine($"Enabled tunnel types: {TunnelTypesParser.Format(command.EnabledTunnelTypes)} (0x{(uint)command.EnabledTunnelTypes:x})");
    }

    private static void WriteTunnelTypes(Utf8JsonWriter w, string name, TunnelTypes types)
    {
        w.WriteString(name, TunnelTypesParser.Format(types & TunnelTypes.All));
        w.WriteNumber(name + "_mask", (uint)types);
    }
}
