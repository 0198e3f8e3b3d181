using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using VnetHash.Hashing;

namespace VnetHash.VirtioNet;

/// <summary>
/// <c>struct virtio_net_config</c>, the network device's configuration layout (virtio spec "Device configuration
/// layout"): <c>u8 mac[6]; le16 status; le16 max_virtqueue_pairs; le16 mtu; le32 speed; u8 duplex;
/// u8 rss_max_key_size; le16 rss_max_indirection_table_length; le32 supported_hash_types;
/// le32 supported_tunnel_types</c>.
/// </summary>
/// <remarks>
/// Every field sits at a fixed offset, but exists only when the device offers the feature that brings it; the
/// offered features decide how many bytes the layout needs (<see cref="LengthFor"/>) and which fields are read,
/// checked and written. Fields that do not exist read as zero.
/// </remarks>
public sealed class VirtioNetDeviceConfig
{
    /// <summary>The whole layout, up to and including <c>supported_tunnel_types</c>.</summary>
    public const int MaxLength = 28;

    private const int StatusOffset = 6;
    private const int MaxVirtqueuePairsOffset = 8;
    private const int MtuOffset = 10;
    private const int SpeedOffset = 12;
    private const int DuplexOffset = 16;
    private const int RssMaxKeySizeOffset = 17;
    private const int RssMaxIndirectionTableLengthOffset = 18;
    private const int SupportedHashTypesOffset = 20;
    private const int SupportedTunnelTypesOffset = 24;
    private const int MacLength = 6;

    private const int MinimumMtu = 68;
    private const uint UnknownSpeed = 0xFFFFFFFF;
    private const uint MaxSpeed = 0x7FFFFFFF;

    private readonly byte[] _mac;

    /// <summary>Creates a configuration from its fields; fields the offered features do not bring are ignored on write.</summary>
    /// <exception cref="ArgumentException"><paramref name="mac"/> is not 6 bytes (or empty, for all zeros).</exception>
    public VirtioNetDeviceConfig(
        VirtioNetFeatures features,
        ReadOnlySpan<byte> mac = default,
        ushort status = 0,
        ushort maxVirtqueuePairs = 0,
        ushort mtu = 0,
        uint speed = 0,
        byte duplex = 0,
        byte rssMaxKeySize = 0,
        ushort rssMaxIndirectionTableLength = 0,
        HashTypes supportedHashTypes = HashTypes.None,
        TunnelTypes supportedTunnelTypes = TunnelTypes.None)
    {
        if (!mac.IsEmpty && mac.Length != MacLength)
        {
            throw new ArgumentException($"A MAC address has {MacLength} bytes, got {mac.Length}.", nameof(mac));
        }

        Features = features;
        _mac = mac.IsEmpty ? new byte[MacLength] : mac.ToArray();
        Status = status;
        MaxVirtqueuePairs = maxVirtqueuePairs;
        Mtu = mtu;
        Speed = speed;
        Duplex = duplex;
        RssMaxKeySize = rssMaxKeySize;
        RssMaxIndirectionTableLength = rssMaxIndirectionTableLength;
        SupportedHashTypes = supportedHashTypes;
        SupportedTunnelTypes = supportedTunnelTypes;
    }

    /// <summary>The features the device offers, which decide which fields exist.</summary>
    public VirtioNetFeatures Features { get; }

    /// <summary><c>mac</c>; always there, valid with <see cref="VirtioNetFeatures.Mac"/>.</summary>
    public ReadOnlySpan<byte> Mac => _mac;

    /// <summary><c>status</c>, with <see cref="VirtioNetFeatures.Status"/>.</summary>
    public ushort Status { get; }

    /// <summary><c>max_virtqueue_pairs</c>, with <see cref="VirtioNetFeatures.Mq"/> or <see cref="VirtioNetFeatures.Rss"/>.</summary>
    public ushort MaxVirtqueuePairs { get; }

    /// <summary><c>mtu</c>, with <see cref="VirtioNetFeatures.Mtu"/>.</summary>
    public ushort Mtu { get; }

    /// <summary><c>speed</c> in Mbit/s, with <see cref="VirtioNetFeatures.SpeedDuplex"/>.</summary>
    public uint Speed { get; }

    /// <summary><c>duplex</c>, with <see cref="VirtioNetFeatures.SpeedDuplex"/>.</summary>
    public byte Duplex { get; }

    /// <summary><c>rss_max_key_size</c>, with <see cref="VirtioNetFeatures.Rss"/> or <see cref="VirtioNetFeatures.HashReport"/>.</summary>
    public byte RssMaxKeySize { get; }

    /// <summary><c>rss_max_indirection_table_length</c>, with <see cref="VirtioNetFeatures.Rss"/>.</summary>
    public ushort RssMaxIndirectionTableLength { get; }

    /// <summary><c>supported_hash_types</c>, with <see cref="VirtioNetFeatures.Rss"/> or <see cref="VirtioNetFeatures.HashReport"/>.</summary>
    public HashTypes SupportedHashTypes { get; }

    /// <summary>
    /// <c>supported_tunnel_types</c>, with <see cref="VirtioNetFeatures.HashTunnel"/>, as the device wrote it; a driver
    /// ignores the bits no type defines (<see cref="ToLimits"/> drops them).
    /// </summary>
    public TunnelTypes SupportedTunnelTypes { get; }

    /// <summary>The bytes the layout has for <paramref name="features"/>: up to the last field they bring.</summary>
    public static int LengthFor(VirtioNetFeatures features) =>
        (features & VirtioNetFeatures.HashTunnel) != 0 ? MaxLength
        : (features & (VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport)) != 0 ? SupportedTunnelTypesOffset
        : (features & VirtioNetFeatures.SpeedDuplex) != 0 ? DuplexOffset + 1
        : (features & VirtioNetFeatures.Mtu) != 0 ? SpeedOffset
        : (features & (VirtioNetFeatures.Mq | VirtioNetFeatures.Rss)) != 0 ? MtuOffset
        : (features & VirtioNetFeatures.Status) != 0 ? MaxVirtqueuePairsOffset
        : MacLength;

    /// <summary>The encoded length, <see cref="LengthFor"/> of <see cref="Features"/>.</summary>
    public int EncodedLength => LengthFor(Features);

    /// <summary>
    /// Decodes the configuration a device with <paramref name="features"/> shows, and checks the device's rules. Bytes
    /// past the layout (fields of later features) are ignored.
    /// </summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public static VirtioNetDeviceConfig Decode(ReadOnlySpan<byte> source, VirtioNetFeatures features)
    {
        var error = Parse(source, features, out var config, out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
        return config!;
    }

    /// <summary>As <see cref="Decode"/>, without throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, VirtioNetFeatures features, [NotNullWhen(true)] out VirtioNetDeviceConfig? config, out ConfigurationRule error)
    {
        error = Parse(source, features, out config, out _, out _);
        return error == ConfigurationRule.None;
    }

    /// <summary>
    /// Checks the device's rules: <c>max_virtqueue_pairs</c> from 1 to 0x8000, <c>mtu</c> from 68, <c>speed</c> and
    /// <c>duplex</c> in their ranges, <c>rss_max_key_size</c> at least 40 and <c>rss_max_indirection_table_length</c>
    /// at least 128, and <c>VIRTIO_NET_F_HASH_TUNNEL</c> only with <c>CTRL_VQ</c> and <c>RSS</c> or <c>HASH_REPORT</c>.
    /// </summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public void Validate()
    {
        var error = Check(out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
    }

    /// <summary>
    /// What control commands are checked against: the queue pairs (1 without <c>MQ</c> and <c>RSS</c>), the key and
    /// table limits, the supported hash types, and the supported tunnel types without the bits no type defines
    /// (none without <c>VIRTIO_NET_F_HASH_TUNNEL</c>).
    /// </summary>
    public VirtioNetDeviceLimits ToLimits() => new(
        Has(VirtioNetFeatures.Mq | VirtioNetFeatures.Rss) ? MaxVirtqueuePairs : 1,
        RssMaxKeySize,
        RssMaxIndirectionTableLength,
        SupportedHashTypes & HashTypes.All,
        Has(VirtioNetFeatures.HashTunnel) ? SupportedTunnelTypes & TunnelTypes.All : TunnelTypes.None);

    /// <summary>Encodes the fields the features bring into the start of <paramref name="destination"/>; the others are zero.</summary>
    /// <returns>The bytes written, <see cref="EncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="EncodedLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"virtio_net_config needs {length} bytes for these features, got {destination.Length}.", nameof(destination));
        }

        Span<byte> layout = stackalloc byte[MaxLength];
        layout.Clear();
        _mac.CopyTo(layout);
        if (Has(VirtioNetFeatures.Status))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(layout[StatusOffset..], Status);
        }

        if (Has(VirtioNetFeatures.Mq | VirtioNetFeatures.Rss))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(layout[MaxVirtqueuePairsOffset..], MaxVirtqueuePairs);
        }

        if (Has(VirtioNetFeatures.Mtu))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(layout[MtuOffset..], Mtu);
        }

        if (Has(VirtioNetFeatures.SpeedDuplex))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(layout[SpeedOffset..], Speed);
            layout[DuplexOffset] = Duplex;
        }

        if (Has(VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport))
        {
            layout[RssMaxKeySizeOffset] = RssMaxKeySize;
            BinaryPrimitives.WriteUInt32LittleEndian(layout[SupportedHashTypesOffset..], (uint)SupportedHashTypes);
        }

        if (Has(VirtioNetFeatures.Rss))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(layout[RssMaxIndirectionTableLengthOffset..], RssMaxIndirectionTableLength);
        }

        if (Has(VirtioNetFeatures.HashTunnel))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(layout[SupportedTunnelTypesOffset..], (uint)SupportedTunnelTypes);
        }

        layout[..length].CopyTo(destination);
        return length;
    }

    /// <summary>Encodes the configuration into a new array of <see cref="EncodedLength"/> bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    private bool Has(VirtioNetFeatures any) => (Features & any) != 0;

    private static ConfigurationRule Parse(ReadOnlySpan<byte> source, VirtioNetFeatures features, out VirtioNetDeviceConfig? config, out string field, out string message)
    {
        config = null;
        int length = LengthFor(features);
        if (source.Length < length)
        {
            field = "virtio_net_config";
            message = $"{source.Length} bytes, the fields these features bring need {length}";
            return ConfigurationRule.Truncated;
        }

        Span<byte> layout = stackalloc byte[MaxLength];
        layout.Clear();
        source[..length].CopyTo(layout);
        bool Has(VirtioNetFeatures any) => (features & any) != 0;
        config = new VirtioNetDeviceConfig(
            features,
            layout[..MacLength],
            Has(VirtioNetFeatures.Status) ? BinaryPrimitives.ReadUInt16LittleEndian(layout[StatusOffset..]) : (ushort)0,
            Has(VirtioNetFeatures.Mq | VirtioNetFeatures.Rss) ? BinaryPrimitives.ReadUInt16LittleEndian(layout[MaxVirtqueuePairsOffset..]) : (ushort)0,
            Has(VirtioNetFeatures.Mtu) ? BinaryPrimitives.ReadUInt16LittleEndian(layout[MtuOffset..]) : (ushort)0,
            Has(VirtioNetFeatures.SpeedDuplex) ? BinaryPrimitives.ReadUInt32LittleEndian(layout[SpeedOffset..]) : 0,
            Has(VirtioNetFeatures.SpeedDuplex) ? layout[DuplexOffset] : (byte)0,
            Has(VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport) ? layout[RssMaxKeySizeOffset] : (byte)0,
            Has(VirtioNetFeatures.Rss) ? BinaryPrimitives.ReadUInt16LittleEndian(layout[RssMaxIndirectionTableLengthOffset..]) : (ushort)0,
            Has(VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport) ? (HashTypes)BinaryPrimitives.ReadUInt32LittleEndian(layout[SupportedHashTypesOffset..]) : HashTypes.None,
            Has(VirtioNetFeatures.HashTunnel) ? (TunnelTypes)BinaryPrimitives.ReadUInt32LittleEndian(layout[SupportedTunnelTypesOffset..]) : TunnelTypes.None);
        var error = config.Check(out field, out message);
        if (error != ConfigurationRule.None)
        {
            config = null;
        }

        return error;
    }

    private ConfigurationRule Check(out string field, out string message)
    {
        field = "features";
        if (Has(VirtioNetFeatures.HashTunnel) && (!Has(VirtioNetFeatures.CtrlVq) || !Has(VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport)))
        {
            message = "VIRTIO_NET_F_HASH_TUNNEL (51) requires VIRTIO_NET_F_CTRL_VQ (17) and VIRTIO_NET_F_RSS (60) or VIRTIO_NET_F_HASH_REPORT (57)";
            return ConfigurationRule.FeatureRequirementMissing;
        }

        field = "max_virtqueue_pairs";
        if (Has(VirtioNetFeatures.Mq | VirtioNetFeatures.Rss) && (MaxVirtqueuePairs < 1 || MaxVirtqueuePairs > VirtioNetDeviceLimits.MaxQueuePairs))
        {
            message = $"{MaxVirtqueuePairs} is not from 1 to 0x{VirtioNetDeviceLimits.MaxQueuePairs:x}";
            return ConfigurationRule.QueuePairsOutOfRange;
        }

        field = "mtu";
        if (Has(VirtioNetFeatures.Mtu) && Mtu < MinimumMtu)
        {
            message = $"{Mtu} is below {MinimumMtu}";
            return ConfigurationRule.MtuOutOfRange;
        }

        field = "speed";
        if (Has(VirtioNetFeatures.SpeedDuplex) && Speed > MaxSpeed && Speed != UnknownSpeed)
        {
            message = $"0x{Speed:x} is neither from 0 to 0x{MaxSpeed:x} nor 0x{UnknownSpeed:x} (unknown)";
            return ConfigurationRule.SpeedOutOfRange;
        }

        field = "duplex";
        if (Has(VirtioNetFeatures.SpeedDuplex) && Duplex is not (0x00 or 0x01 or 0xFF))
        {
            message = $"0x{Duplex:x2} is none of 0x00, 0x01 and 0xff (unknown)";
            return ConfigurationRule.DuplexOutOfRange;
        }

        field = "rss_max_key_size";
        if (Has(VirtioNetFeatures.Rss | VirtioNetFeatures.HashReport) && RssMaxKeySize < VirtioNetDeviceLimits.DefaultMaxKeySize)
        {
            message = $"{RssMaxKeySize} is below {VirtioNetDeviceLimits.DefaultMaxKeySize}";
            return ConfigurationRule.MaxKeySizeTooSmall;
        }

        field = "rss_max_indirection_table_length";
        if (Has(VirtioNetFeatures.Rss) && RssMaxIndirectionTableLength < VirtioNetDeviceLimits.DefaultMaxIndirectionTableLength)
        {
            message = $"{RssMaxIndirectionTableLength} is below {VirtioNetDeviceLimits.DefaultMaxIndirectionTableLength}";
            return ConfigurationRule.MaxIndirectionTableLengthTooSmall;
        }

        field = string.Empty;
        message = string.Empty;
        return ConfigurationRule.None;
    }
}
