using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.VirtioNet;

/// <summary>
/// <c>struct virtio_net_rss_config</c>, the data of the control command <c>VIRTIO_NET_CTRL_MQ_RSS_CONFIG</c>
/// (virtio spec 5.1.6.5.7.1): <c>le32 hash_types; le16 indirection_table_mask; le16 unclassified_queue;
/// le16 indirection_table[mask + 1]; le16 max_tx_vq; u8 hash_key_length; u8 hash_key_data[]</c>.
/// </summary>
/// <remarks>
/// Queue ids are <c>rss_rq_id</c> values: the 0-based receive queue number in bits 0 to 14, bit 15 reserved.
/// Construction checks only the layout (a power-of-two table, a key of at most 255 bytes);
/// <see cref="Validate"/> and <see cref="Decode"/> check a device's limits.
/// </remarks>
public sealed class VirtioNetRssConfig
{
    /// <summary>The bytes besides the table and the key: 8 before the table, 3 after it.</summary>
    public const int FixedLength = 11;

    /// <summary>The most indirection table entries the 16-bit mask can describe.</summary>
    public const int MaxIndirectionTableLength = 65536;

    private const int TableOffset = 8;
    private const ushort ReservedQueueBit = 0x8000;

    private readonly ushort[] _table;
    private readonly byte[] _key;

    /// <summary>Creates a command from its fields.</summary>
    /// <exception cref="ConfigurationException">The table length is not a power of two up to 65536, or the key is longer than 255 bytes.</exception>
    public VirtioNetRssConfig(HashTypes hashTypes, ReadOnlySpan<ushort> indirectionTable, ushort unclassifiedQueue, ushort maxTxVq, ReadOnlySpan<byte> hashKey)
    {
        int length = indirectionTable.Length;
        if (length < 1 || length > MaxIndirectionTableLength || (length & (length - 1)) != 0)
        {
            throw new ConfigurationException(
                ConfigurationRule.TableLengthNotPowerOfTwo,
                "indirection_table_mask",
                $"the table has {length} entries, mask + 1 must be a power of two from 1 to {MaxIndirectionTableLength}");
        }

        if (hashKey.Length > byte.MaxValue)
        {
            throw new ConfigurationException(ConfigurationRule.KeyTooLong, "hash_key_length", $"{hashKey.Length} bytes do not fit the u8 length");
        }

        HashTypes = hashTypes;
        _table = indirectionTable.ToArray();
        UnclassifiedQueue = unclassifiedQueue;
        MaxTxVq = maxTxVq;
        _key = hashKey.ToArray();
    }

    /// <summary><c>hash_types</c>.</summary>
    public HashTypes HashTypes { get; }

    /// <summary><c>indirection_table_mask</c>: the table length minus one.</summary>
    public ushort IndirectionTableMask => (ushort)(_table.Length - 1);

    /// <summary><c>unclassified_queue</c>.</summary>
    public ushort UnclassifiedQueue { get; }

    /// <summary><c>indirection_table</c>.</summary>
    public ReadOnlySpan<ushort> IndirectionTable => _table;

    /// <summary><c>max_tx_vq</c>: the transmit queues the driver will use.</summary>
    public ushort MaxTxVq { get; }

    /// <summary><c>hash_key_data</c>; its length is <c>hash_key_length</c>.</summary>
    public ReadOnlySpan<byte> HashKey => _key;

    /// <summary>The encoded length: <see cref="FixedLength"/> + 2 × table entries + key bytes.</summary>
    public int EncodedLength => FixedLength + (2 * _table.Length) + _key.Length;

    /// <summary>
    /// Decodes and validates a command: the layout (exact length, power-of-two table) and the device's limits.
    /// </summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public static VirtioNetRssConfig Decode(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits)
    {
        var error = Parse(source, limits, out var config, out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
        return config!;
    }

    /// <summary>As <see cref="Decode"/>, without throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits, [NotNullWhen(true)] out VirtioNetRssConfig? config, out ConfigurationRule error)
    {
        error = Parse(source, limits, out config, out _, out _);
        return error == ConfigurationRule.None;
    }

    /// <summary>
    /// The command for a configuration: its types, table, unclassified queue and key.
    /// </summary>
    /// <exception cref="ConfigurationException">The key is longer than 255 bytes.</exception>
    public static VirtioNetRssConfig FromRssConfiguration(RssConfiguration configuration, ushort maxTxVq) =>
        new(configuration.Types, configuration.IndirectionTable, configuration.UnclassifiedQueue, maxTxVq, configuration.Key);

    /// <summary>Checks the command against a device's limits.</summary>
    /// <exception cref="ConfigurationException">A rule is broken; the exception names the rule and the field.</exception>
    public void Validate(VirtioNetDeviceLimits limits)
    {
        var error = Check(limits, out string field, out string message);
        VirtioNetConfigRules.ThrowIfError(error, field, message);
    }

    /// <summary>
    /// The configuration this command sets. With no hash type and a key of 4 bytes or fewer, which hashes
    /// nothing, the configuration gets an all-zero 5-byte key.
    /// </summary>
    /// <exception cref="ConfigurationException"><see cref="ConfigurationRule.KeyTooShortForTypes"/>: the key cannot cover the enabled types' input.</exception>
    public RssConfiguration ToRssConfiguration(HashProfile profile = HashProfile.VirtioSpec) =>
        VirtioNetConfigRules.ToRssConfiguration(HashTypes, _key, _table, UnclassifiedQueue, profile);

    /// <summary>Encodes the command into the start of <paramref name="destination"/>.</summary>
    /// <returns>The bytes written, <see cref="EncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="EncodedLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"virtio_net_rss_config needs {length} bytes, got {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)HashTypes);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], IndirectionTableMask);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], UnclassifiedQueue);
        int offset = TableOffset;
        foreach (ushort entry in _table)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], entry);
            offset += 2;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], MaxTxVq);
        destination[offset + 2] = (byte)_key.Length;
        _key.CopyTo(destination[(offset + 3)..]);
        return length;
    }

    /// <summary>Encodes the command into a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    private static ConfigurationRule Parse(ReadOnlySpan<byte> source, VirtioNetDeviceLimits limits, out VirtioNetRssConfig? config, out string field, out string message)
    {
        config = null;
        if (source.Length < TableOffset)
        {
            field = "indirection_table_mask";
            message = $"{source.Length} bytes, the fields before the table need {TableOffset}";
            return ConfigurationRule.Truncated;
        }

        var types = (HashTypes)BinaryPrimitives.ReadUInt32LittleEndian(source);
        int mask = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        ushort unclassified = BinaryPrimitives.ReadUInt16LittleEndian(source[6..]);
        int entries = mask + 1;
        field = "indirection_table_mask";
        if ((entries & mask) != 0)
        {
            message = $"mask 0x{mask:x} + 1 is not a power of two";
            return ConfigurationRule.TableLengthNotPowerOfTwo;
        }

        if (mask >= limits.MaxIndirectionTableLength)
        {
            message = $"mask {mask} is not below rss_max_indirection_table_length {limits.MaxIndirectionTableLength}";
            return ConfigurationRule.TableTooLong;
        }

        int keyLengthOffset = TableOffset + (2 * entries) + 2;
        if (source.Length <= keyLengthOffset)
        {
            field = "indirection_table";
            message = $"{source.Length} bytes, a table of {entries} entries, max_tx_vq and hash_key_length need {keyLengthOffset + 1}";
            return ConfigurationRule.Truncated;
        }

        int keyLength = source[keyLengthOffset];
        int total = keyLengthOffset + 1 + keyLength;
        var extent = VirtioNetConfigRules.CheckKeyEnd(source.Length, keyLength, total, out field, out message);
        if (extent != ConfigurationRule.None)
        {
            return extent;
        }

        var table = new ushort[entries];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(TableOffset + (2 * i))..]);
        }

        ushort maxTxVq = BinaryPrimitives.ReadUInt16LittleEndian(source[(keyLengthOffset - 2)..]);
        config = new VirtioNetRssConfig(types, table, unclassified, maxTxVq, source.Slice(keyLengthOffset + 1, keyLength));
        var error = config.Check(limits, out field, out message);
        if (error != ConfigurationRule.None)
        {
            config = null;
        }

        return error;
    }

    private ConfigurationRule Check(VirtioNetDeviceLimits limits, out string field, out string message)
    {
        var error = VirtioNetConfigRules.CheckTypesAndKey(HashTypes, _key.Length, limits, out field, out message);
        if (error != ConfigurationRule.None)
        {
            return error;
        }

        field = "indirection_table_mask";
        if (_table.Length > limits.MaxIndirectionTableLength)
        {
            message = $"mask {IndirectionTableMask} is not below rss_max_indirection_table_length {limits.MaxIndirectionTableLength}";
            return ConfigurationRule.TableTooLong;
        }

        field = "unclassified_queue";
        error = CheckQueue(UnclassifiedQueue, limits, "unclassified_queue", out message);
        if (error != ConfigurationRule.None)
        {
            return error == ConfigurationRule.TableEntryOutOfRange ? ConfigurationRule.UnclassifiedQueueOutOfRange : error;
        }

        field = "indirection_table";
        for (int i = 0; i < _table.Length; i++)
        {
            error = CheckQueue(_table[i], limits, $"indirection_table[{i}]", out message);
            if (error != ConfigurationRule.None)
            {
                return error;
            }
        }

        field = "max_tx_vq";
        if (MaxTxVq < 1 || MaxTxVq > limits.QueuePairs)
        {
            message = $"{MaxTxVq} is not from 1 to the {limits.QueuePairs} queue pairs";
            return ConfigurationRule.MaxTxVqOutOfRange;
        }

        field = string.Empty;
        message = string.Empty;
        return ConfigurationRule.None;
    }

    private static ConfigurationRule CheckQueue(ushort queue, VirtioNetDeviceLimits limits, string name, out string message)
    {
        if ((queue & ReservedQueueBit) != 0)
        {
            message = $"{name} 0x{queue:x4} has the reserved bit 15 set";
            return ConfigurationRule.ReservedQueueBit;
        }

        if (queue >= limits.QueuePairs)
        {
            message = $"{name} {queue} names no receive queue of the {limits.QueuePairs}";
            return ConfigurationRule.TableEntryOutOfRange;
        }

        message = string.Empty;
        return ConfigurationRule.None;
    }
}
