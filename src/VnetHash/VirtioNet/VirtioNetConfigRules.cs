using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.VirtioNet;

/// <summary>The rules <c>virtio_net_rss_config</c> and <c>virtio_net_hash_config</c> share.</summary>
internal static class VirtioNetConfigRules
{
    public static ConfigurationRule CheckTypesAndKey(HashTypes types, int keyLength, VirtioNetDeviceLimits limits, out string field, out string message)
    {
        field = "hash_types";
        if ((types & ~HashTypes.All) != 0)
        {
            message = $"bits 0x{(uint)(types & ~HashTypes.All):x} are no hash type (defined: 0x{(uint)HashTypes.All:x})";
            return ConfigurationRule.UnknownHashTypes;
        }

        if ((types & ~limits.SupportedHashTypes) != 0)
        {
            message = $"types 0x{(uint)(types & ~limits.SupportedHashTypes):x} are not in supported_hash_types 0x{(uint)limits.SupportedHashTypes:x}";
            return ConfigurationRule.UnsupportedHashTypes;
        }

        field = "hash_key_length";
        if (keyLength > limits.MaxKeySize)
        {
            message = $"{keyLength} exceeds rss_max_key_size {limits.MaxKeySize}";
            return ConfigurationRule.KeyTooLong;
        }

        if (keyLength == 0 && types != HashTypes.None)
        {
            message = $"hash types 0x{(uint)types:x} are enabled with no key";
            return ConfigurationRule.KeyMissing;
        }

        message = string.Empty;
        return ConfigurationRule.None;
    }

    /// <summary>The key is the last field: the buffer must end exactly where a key of <paramref name="keyLength"/> bytes does.</summary>
    public static ConfigurationRule CheckKeyEnd(int sourceLength, int keyLength, int total, out string field, out string message)
    {
        field = "hash_key_data";
        if (sourceLength < total)
        {
            message = $"{sourceLength} bytes, a key of {keyLength} bytes ends at {total}";
            return ConfigurationRule.Truncated;
        }

        if (sourceLength > total)
        {
            message = $"{sourceLength - total} bytes follow the key";
            return ConfigurationRule.TrailingBytes;
        }

        message = string.Empty;
        return ConfigurationRule.None;
    }

    public static RssConfiguration ToRssConfiguration(HashTypes types, ReadOnlySpan<byte> key, ReadOnlySpan<ushort> table, ushort unclassifiedQueue, HashProfile profile)
    {
        int needed = HashInput.RequiredKeyLength(types);
        if (types != HashTypes.None && key.Length < needed)
        {
            throw new ConfigurationException(
                ConfigurationRule.KeyTooShortForTypes,
                "hash_key_length",
                $"hash types 0x{(uint)types:x} need a key of at least {needed} bytes, got {key.Length}");
        }

        // A configuration without types never hashes, but a prepared key still needs more than 4 bytes.
        Span<byte> placeholder = stackalloc byte[ToeplitzKey.WindowBytes + 1];
        return RssConfiguration.Create(types, key.Length > ToeplitzKey.WindowBytes ? key : placeholder, table, unclassifiedQueue, profile);
    }

    public static void ThrowIfError(ConfigurationRule error, string field, string message)
    {
        if (error != ConfigurationRule.None)
        {
            throw new ConfigurationException(error, field, message);
        }
    }
}
