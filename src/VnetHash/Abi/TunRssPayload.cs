using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Abi;

/// <summary>The part both series generations share after their fixed structure: the u16 table, then the key region.</summary>
internal static class TunRssPayload
{
    public static int Length(int tableLength) => (2 * tableLength) + TunVnetHashKey.RegionLength;

    public static void Write(Span<byte> destination, RssConfiguration configuration)
    {
        ReadOnlySpan<ushort> table = configuration.IndirectionTable;
        TunVnetHashKey.WriteRegion(destination.Slice(2 * table.Length, TunVnetHashKey.RegionLength), configuration.Key);
        for (int i = 0; i < table.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], table[i]);
        }
    }

    /// <summary>Reads the table of mask + 1 entries and the key region, which must end the buffer.</summary>
    public static RssConfiguration Read(ReadOnlySpan<byte> source, HashTypes types, ushort mask, ushort unclassifiedQueue, HashProfile profile)
    {
        int entries = mask + 1;
        if ((entries & mask) != 0)
        {
            throw new ConfigurationException(ConfigurationRule.TableLengthNotPowerOfTwo, "indirection_table_mask", $"mask 0x{mask:x} + 1 is not a power of two");
        }

        if (source.Length < 2 * entries)
        {
            throw new ConfigurationException(ConfigurationRule.Truncated, "indirection_table", $"{source.Length} bytes left, {entries} entries need {2 * entries}");
        }

        int needed = Length(entries);
        if (source.Length < needed)
        {
            throw new ConfigurationException(
                ConfigurationRule.Truncated,
                "key",
                $"{source.Length - (2 * entries)} bytes after the table, the key region has {TunVnetHashKey.RegionLength}");
        }

        if (source.Length > needed)
        {
            throw new ConfigurationException(ConfigurationRule.TrailingBytes, "key", $"{source.Length - needed} bytes follow the key region");
        }

        var table = new ushort[entries];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]);
        }

        return RssConfiguration.Create(types, source.Slice(2 * entries, TunVnetHashKey.RegionLength), table, unclassifiedQueue, profile);
    }

    public static HashTypes ReadTypes(uint bits, string field)
    {
        var types = (HashTypes)bits;
        if ((types & ~HashTypes.All) != 0)
        {
            throw new ConfigurationException(
                ConfigurationRule.UnknownHashTypes,
                field,
                $"bits 0x{bits & ~(uint)HashTypes.All:x} are no hash type (defined: 0x{(uint)HashTypes.All:x})");
        }

        return types;
    }
}
