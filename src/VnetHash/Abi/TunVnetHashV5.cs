using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Abi;

/// <summary>
/// The argument of the v5 generation's <c>TUNSETVNETHASH</c> and <c>TUNGETVNETHASHCAP</c>:
/// <c>struct tun_vnet_hash { u16 flags; u8 pad[2]; u32 types; }</c>, then with <c>TUN_VNET_HASH_RSS</c>
/// <c>struct tun_vnet_hash_rss { u16 indirection_table_mask; u16 unclassified_queue; }</c>, the
/// <c>mask + 1</c> u16 table entries and the key, packed without padding.
/// </summary>
/// <remarks>
/// The kernel reads these native-endian; they are encoded little-endian, the byte order of x86 and arm64.
/// The key region is always <see cref="TunVnetHashKey.RegionLength"/> bytes (see <see cref="TunVnetHashKey"/>).
/// Decoding is strict where the kernel is lax: unknown flags or types, a non-zero pad, a table that is not a
/// power of two, a short buffer or trailing bytes are each an <see cref="ConfigurationException"/>.
/// </remarks>
public static class TunVnetHashV5
{
    /// <summary>Size of <c>struct tun_vnet_hash</c>.</summary>
    public const int HashLength = 8;

    /// <summary>Size of <c>struct tun_vnet_hash_rss</c>.</summary>
    public const int RssLength = 4;

    /// <summary>The encoded length of an RSS setting with a table of <paramref name="tableLength"/> entries.</summary>
    public static int GetEncodedLength(int tableLength) => HashLength + RssLength + TunRssPayload.Length(tableLength);

    /// <summary>The encoded length of an RSS setting for <paramref name="configuration"/>.</summary>
    public static int GetEncodedLength(RssConfiguration configuration) => GetEncodedLength(configuration.IndirectionTable.Length);

    /// <summary>Encodes RSS (<c>TUN_VNET_HASH_RSS</c>), with <c>TUN_VNET_HASH_REPORT</c> when <paramref name="report"/> is set.</summary>
    /// <returns>The bytes written, <see cref="GetEncodedLength(RssConfiguration)"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Write(Span<byte> destination, RssConfiguration configuration, bool report)
    {
        int length = GetEncodedLength(configuration);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The v5 hash setting needs {length} bytes, got {destination.Length}.", nameof(destination));
        }

        var flags = TunVnetHashFlags.Rss | (report ? TunVnetHashFlags.Report : TunVnetHashFlags.None);
        TunRssPayload.Write(destination[(HashLength + RssLength)..length], configuration);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], configuration.UnclassifiedQueue);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], (ushort)configuration.IndirectionTableMask);
        WriteHash(destination, flags, configuration.Types);
        return length;
    }

    /// <summary>
    /// Encodes a setting without RSS: <see cref="TunVnetHashFlags.Report"/> to report hashes of
    /// <paramref name="types"/> with automatic steering, <see cref="TunVnetHashFlags.None"/> to clear.
    /// </summary>
    /// <returns>The bytes written, <see cref="HashLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="flags"/> has <see cref="TunVnetHashFlags.Rss"/> or unknown bits, or <paramref name="destination"/> is too short.</exception>
    public static int Write(Span<byte> destination, TunVnetHashFlags flags, HashTypes types)
    {
        if ((flags & ~TunVnetHashFlags.Report) != 0)
        {
            throw new ArgumentException($"Without a configuration only the report flag can be set, got {flags}.", nameof(flags));
        }

        if (destination.Length < HashLength)
        {
            throw new ArgumentException($"struct tun_vnet_hash needs {HashLength} bytes, got {destination.Length}.", nameof(destination));
        }

        WriteHash(destination, flags, types);
        return HashLength;
    }

    /// <summary>Encodes RSS into a new array; see <see cref="Write(Span{byte}, RssConfiguration, bool)"/>.</summary>
    public static byte[] Encode(RssConfiguration configuration, bool report)
    {
        var bytes = new byte[GetEncodedLength(configuration)];
        Write(bytes, configuration, report);
        return bytes;
    }

    /// <summary>Encodes a setting without RSS into a new array; see <see cref="Write(Span{byte}, TunVnetHashFlags, HashTypes)"/>.</summary>
    public static byte[] Encode(TunVnetHashFlags flags, HashTypes types)
    {
        var bytes = new byte[HashLength];
        Write(bytes, flags, types);
        return bytes;
    }

    /// <summary>Decodes a <c>TUNSETVNETHASH</c> argument.</summary>
    /// <param name="source">The whole argument, nothing after it.</param>
    /// <param name="profile">The profile of the resulting configuration; the kernel's rules by default.</param>
    /// <exception cref="ConfigurationException">The argument breaks a rule; the exception names the rule and the field.</exception>
    public static TunVnetHashSettingV5 Decode(ReadOnlySpan<byte> source, HashProfile profile = HashProfile.LinuxTun)
    {
        var (flags, types) = ReadHash(source, "flags");
        if ((flags & TunVnetHashFlags.Rss) == 0)
        {
            if (source.Length > HashLength)
            {
                throw new ConfigurationException(ConfigurationRule.TrailingBytes, "types", $"{source.Length - HashLength} bytes follow a setting without TUN_VNET_HASH_RSS");
            }

            return new TunVnetHashSettingV5((flags & TunVnetHashFlags.Report) != 0, types, null);
        }

        if (source.Length < HashLength + RssLength)
        {
            throw new ConfigurationException(ConfigurationRule.Truncated, "tun_vnet_hash_rss", $"{source.Length} bytes, the RSS part ends at {HashLength + RssLength}");
        }

        ushort mask = BinaryPrimitives.ReadUInt16LittleEndian(source[8..]);
        ushort unclassified = BinaryPrimitives.ReadUInt16LittleEndian(source[10..]);
        var configuration = TunRssPayload.Read(source[(HashLength + RssLength)..], types, mask, unclassified, profile);
        return new TunVnetHashSettingV5((flags & TunVnetHashFlags.Report) != 0, types, configuration);
    }

    /// <summary>Encodes a <c>TUNGETVNETHASHCAP</c> answer, as the kernel writes it.</summary>
    /// <returns>The bytes written, <see cref="HashLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int WriteCapability(Span<byte> destination, TunVnetHashCapabilityV5 capability)
    {
        if (destination.Length < HashLength)
        {
            throw new ArgumentException($"struct tun_vnet_hash needs {HashLength} bytes, got {destination.Length}.", nameof(destination));
        }

        WriteHash(destination, capability.Flags, capability.Types);
        return HashLength;
    }

    /// <summary>Decodes a <c>TUNGETVNETHASHCAP</c> answer of exactly <see cref="HashLength"/> bytes.</summary>
    /// <exception cref="ConfigurationException">The answer breaks a rule; the exception names the rule and the field.</exception>
    public static TunVnetHashCapabilityV5 DecodeCapability(ReadOnlySpan<byte> source)
    {
        var (flags, types) = ReadHash(source, "flags");
        if (source.Length > HashLength)
        {
            throw new ConfigurationException(ConfigurationRule.TrailingBytes, "types", $"{source.Length - HashLength} bytes follow struct tun_vnet_hash");
        }

        return new TunVnetHashCapabilityV5(flags, types);
    }

    private static void WriteHash(Span<byte> destination, TunVnetHashFlags flags, HashTypes types)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)types);
        destination[3] = 0;
        destination[2] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)flags);
    }

    private static (TunVnetHashFlags Flags, HashTypes Types) ReadHash(ReadOnlySpan<byte> source, string flagsField)
    {
        if (source.Length < HashLength)
        {
            throw new ConfigurationException(ConfigurationRule.Truncated, "tun_vnet_hash", $"{source.Length} bytes, the structure has {HashLength}");
        }

        var flags = (TunVnetHashFlags)BinaryPrimitives.ReadUInt16LittleEndian(source);
        if ((flags & ~TunVnetHashFlags.ValidBits) != 0)
        {
            throw new ConfigurationException(
                ConfigurationRule.UnknownFlags,
                flagsField,
                $"bits 0x{(ushort)(flags & ~TunVnetHashFlags.ValidBits):x} are no flag (REPORT 1, RSS 2)");
        }

        if (source[2] != 0 || source[3] != 0)
        {
            throw new ConfigurationException(ConfigurationRule.ReservedNotZero, "pad", $"0x{source[2]:x2} 0x{source[3]:x2}, must be zero");
        }

        var types = TunRssPayload.ReadTypes(BinaryPrimitives.ReadUInt32LittleEndian(source[4..]), "types");
        return (flags, types);
    }
}
