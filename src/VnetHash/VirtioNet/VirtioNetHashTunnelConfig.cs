using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.VirtioNet;

/// <summary>
/// <c>struct virtnet_hash_tunnel { le32 enabled_tunnel_types; }</c>, the data of the control command
/// <c>VIRTIO_NET_CTRL_HASH_TUNNEL_SET</c> (class 7, command 0; virtio spec "Inner Header Hash"): which encapsulation
/// types the device hashes on their inner header. Zero disables inner-header hashing, as a reset does.
/// </summary>
public sealed class VirtioNetHashTunnelConfig
{
    /// <summary>The encoded length: one le32.</summary>
    public const int EncodedLength = 4;

    /// <summary><c>VIRTIO_NET_CTRL_HASH_TUNNEL</c>, the control class.</summary>
    public const byte ControlClass = 7;

    /// <summary><c>VIRTIO_NET_CTRL_HASH_TUNNEL_SET</c>, the class's one command.</summary>
    public const byte ControlCommand = 0;

    /// <summary>Creates a command from its field.</summary>
    public VirtioNetHashTunnelConfig(TunnelTypes enabledTunnelTypes) => EnabledTunnelTypes = enabledTunnelTypes;

    /// <summary><c>enabled_tunnel_types</c>.</summary>
    public TunnelTypes EnabledTunnelTypes { get; }

    /// <summary>
    /// Decodes and validates a command: exactly 4 bytes, no bit that no type defines, no type the device does not
    /// support (the device "SHOULD respond ... with VIRTIO_NET_ERR" to such bits).
    /// </summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public static VirtioNetHashTunnelConfig Decode(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits)
    {
        var error = Parse(source, limits, out var config, out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
        return config!;
    }

    /// <summary>As <see cref="Decode"/>, without throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits, [NotNullWhen(true)] out VirtioNetHashTunnelConfig? config, out ConfigurationRule error)
    {
        error = Parse(source, limits, out config, out _, out _);
        return error == ConfigurationRule.None;
    }

    /// <summary>The command that sets a configuration's tunnel types.</summary>
    public static VirtioNetHashTunnelConfig FromRssConfiguration(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new(configuration.TunnelTypes);
    }

    /// <summary>Checks the command against a device's limits.</summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public void Validate(VirtioNetDeviceLimits limits)
    {
        var error = Check(EnabledTunnelTypes, limits, out string message);
        VirtioNetConfigRules.ThrowIfError(error, "enabled_tunnel_types", message);
    }

    /// <summary>
    /// <paramref name="configuration"/> with this command applied: its tunnel types replaced, everything else (the
    /// RSS or hash configuration the other commands set, the UDP tunnel ports) kept.
    /// </summary>
    /// <exception cref="ConfigurationException">The configuration's profile does not support the types.</exception>
    public RssConfiguration ApplyTo(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.WithTunnels(EnabledTunnelTypes);
    }

    /// <summary>Encodes the command into the start of <paramref name="destination"/>.</summary>
    /// <returns>The bytes written, <see cref="EncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="EncodedLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException($"virtnet_hash_tunnel needs {EncodedLength} bytes, got {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)EnabledTunnelTypes);
        return EncodedLength;
    }

    /// <summary>Encodes the command into a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    private static ConfigurationRule Parse(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits, out VirtioNetHashTunnelConfig? config, out string field, out string message)
    {
        config = null;
        field = "enabled_tunnel_types";
        if (source.Length < EncodedLength)
        {
            message = $"{source.Length} bytes, the le32 needs {EncodedLength}";
            return ConfigurationRule.Truncated;
        }

        if (source.Length > EncodedLength)
        {
            message = $"{source.Length - EncodedLength} bytes follow the le32";
            return ConfigurationRule.TrailingBytes;
        }

        var types = (TunnelTypes)BinaryPrimitives.ReadUInt32LittleEndian(source);
        var error = Check(types, limits, out message);
        if (error == ConfigurationRule.None)
        {
            config = new VirtioNetHashTunnelConfig(types);
        }

        return error;
    }

    private static ConfigurationRule Check(TunnelTypes types, VirtioNetDeviceLimits limits, out string message)
    {
        string? unknown = TunnelSupport.UnknownBitsProblem(types);
        if (unknown is not null)
        {
            message = unknown;
            return ConfigurationRule.UnknownTunnelTypes;
        }

        TunnelTypes unsupported = types & ~limits.SupportedTunnelTypes;
        if (unsupported != 0)
        {
            message = $"{TunnelTypeNames.Describe(unsupported)} not in supported_tunnel_types 0x{(uint)limits.SupportedTunnelTypes:x}";
            return ConfigurationRule.UnsupportedTunnelTypes;
        }

        message = string.Empty;
        return ConfigurationRule.None;
    }
}
