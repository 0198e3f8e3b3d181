using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.VirtioNet;

/// <summary>
/// <c>struct virtio_net_hash_config</c>, the data of the control command <c>VIRTIO_NET_CTRL_MQ_HASH_CONFIG</c>
/// used for hash reporting without RSS (virtio spec 5.1.6.5.6.4): <c>le32 hash_types; le16 reserved[4];
/// u8 hash_key_length; u8 hash_key_data[]</c>.
/// </summary>
public sealed class VirtioNetHashConfig
{
    /// <summary>The bytes before the key: types, four reserved words and the key length.</summary>
    public const int FixedLength = 13;

    private const int ReservedOffset = 4;
    private const int ReservedLength = 8;
    private const int KeyLengthOffset = 12;

    private readonly byte[] _key;

    /// <summary>Creates a command from its fields.</summary>
    /// <exception cref="ConfigurationException">The key is longer than 255 bytes.</exception>
    public VirtioNetHashConfig(HashTypes hashTypes, ReadOnlySpan<byte> hashKey)
    {
        if (hashKey.Length > byte.MaxValue)
        {
            throw new ConfigurationException(ConfigurationRule.KeyTooLong, "hash_key_length", $"{hashKey.Length} bytes do not fit the u8 length");
        }

        HashTypes = hashTypes;
        _key = hashKey.ToArray();
    }

    /// <summary><c>hash_types</c>.</summary>
    public HashTypes HashTypes { get; }

    /// <summary><c>hash_key_data</c>; its length is <c>hash_key_length</c>.</summary>
    public ReadOnlySpan<byte> HashKey => _key;

    /// <summary>The encoded length: <see cref="FixedLength"/> + key bytes.</summary>
    public int EncodedLength => FixedLength + _key.Length;

    /// <summary>Decodes and validates a command: exact length, zero reserved fields and the device's limits.</summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public static VirtioNetHashConfig Decode(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits)
    {
        var error = Parse(source, limits, out var config, out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
        return config!;
    }

    /// <summary>As <see cref="Decode"/>, without throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits, [NotNullWhen(true)] out VirtioNetHashConfig? config, out ConfigurationRule error)
    {
        error = Parse(source, limits, out config, out _, out _);
        return error == ConfigurationRule.None;
    }

    /// <summary>The command for a configuration's types and key; the table and unclassified queue have no place in it.</summary>
    /// <exception cref="ConfigurationException">The key is longer than 255 bytes.</exception>
    public static VirtioNetHashConfig FromRssConfiguration(RssConfiguration configuration) => new(configuration.Types, configuration.Key);

    /// <summary>Checks the command against a device's limits.</summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public void Validate(VirtioNetDeviceLimits limits)
    {
        var error = VirtioNetConfigRules.CheckTypesAndKey(HashTypes, _key.Length, limits, out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
    }

    /// <summary>
    /// The configuration this command sets: its types and key, a one-entry table and unclassified queue 0
    /// (hash reporting without steering). With no hash type and a key of 4 bytes or fewer the configuration
    /// gets an all-zero 5-byte key.
    /// </summary>
    /// <exception cref="ConfigurationException"><see cref="ConfigurationRule.KeyTooShortForTypes"/>: the key cannot cover the enabled types' input.</exception>
    public RssConfiguration ToRssConfiguration(HashProfile profile = HashProfile.VirtioSpec) =>
        VirtioNetConfigRules.ToRssConfiguration(HashTypes, _key, [0], 0, profile);

    /// <summary>Encodes the command into the start of <paramref name="destination"/>; the reserved fields are zero.</summary>
    /// <returns>The bytes written, <see cref="EncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="EncodedLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"virtio_net_hash_config needs {length} bytes, got {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)HashTypes);
        destination.Slice(ReservedOffset, ReservedLength).Clear();
        destination[KeyLengthOffset] = (byte)_key.Length;
        _key.CopyTo(destination[FixedLength..]);
        return length;
    }

    /// <summary>Encodes the command into a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    private static ConfigurationRule Parse(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits, out VirtioNetHashConfig? config, out string field, out string message)
    {
        config = null;
        if (source.Length < FixedLength)
        {
            field = "hash_key_length";
            message = $"{source.Length} bytes, the fields before the key need {FixedLength}";
            return ConfigurationRule.Truncated;
        }

        for (int i = 0; i < ReservedLength / 2; i++)
        {
            ushort reserved = BinaryPrimitives.ReadUInt16LittleEndian(source[(ReservedOffset + (2 * i))..]);
            if (reserved != 0)
            {
                field = $"reserved[{i}]";
                message = $"0x{reserved:x4}, must be zero";
                return ConfigurationRule.ReservedNotZero;
            }
        }

        int keyLength = source[KeyLengthOffset];
        int total = FixedLength + keyLength;
        var extent = VirtioNetConfigRules.CheckKeyEnd(source.Length, keyLength, total, out field, out message);
        if (extent != ConfigurationRule.None)
        {
            return extent;
        }

        var types = (HashTypes)BinaryPrimitives.ReadUInt32LittleEndian(source);
        var error = VirtioNetConfigRules.CheckTypesAndKey(types, keyLength, limits, out field, out message);
        if (error == ConfigurationRule.None)
        {
            config = new VirtioNetHashConfig(types, source.Slice(FixedLength, keyLength));
        }

        return error;
    }
}
