using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Abi;

/// <summary>
/// The argument of the v12 generation's <c>TUNSETVNETRSS</c> and <c>TUNSETVNETREPORTINGRSS</c>:
/// <c>struct tun_vnet_rss { u32 hash_types; u16 indirection_table_mask; u16 unclassified_queue; }</c>, the
/// <c>mask + 1</c> u16 table entries and the key, packed without padding. Whether hashes are reported is
/// chosen by the ioctl (<see cref="IoctlFor"/>), not by the argument.
/// </summary>
/// <remarks>
/// The kernel reads these native-endian; they are encoded little-endian, the byte order of x86 and arm64.
/// The key region is always <see cref="TunVnetHashKey.RegionLength"/> bytes (see <see cref="TunVnetHashKey"/>).
/// Decoding is strict where the kernel is lax: unknown types, a table that is not a power of two, a short
/// buffer or trailing bytes are each an <see cref="ConfigurationException"/>.
/// </remarks>
public static class TunVnetRssV12
{
    /// <summary>Size of <c>struct tun_vnet_rss</c>.</summary>
    public const int RssLength = 8;

    /// <summary><see cref="TunIoctl.SetVnetReportingRssV12"/> when hashes are reported, else <see cref="TunIoctl.SetVnetRssV12"/>.</summary>
    public static uint IoctlFor(bool report) => report ? TunIoctl.SetVnetReportingRssV12 : TunIoctl.SetVnetRssV12;

    /// <summary>The encoded length with a table of <paramref name="tableLength"/> entries.</summary>
    public static int GetEncodedLength(int tableLength) => RssLength + TunRssPayload.Length(tableLength);

    /// <summary>The encoded length for <paramref name="configuration"/>.</summary>
    public static int GetEncodedLength(RssConfiguration configuration) => GetEncodedLength(configuration.IndirectionTable.Length);

    /// <summary>Encodes a configuration.</summary>
    /// <returns>The bytes written, <see cref="GetEncodedLength(RssConfiguration)"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Write(Span<byte> destination, RssConfiguration configuration)
    {
        int length = GetEncodedLength(configuration);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The v12 RSS setting needs {length} bytes, got {destination.Length}.", nameof(destination));
        }

        TunRssPayload.Write(destination[RssLength..length], configuration);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], configuration.UnclassifiedQueue);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)configuration.IndirectionTableMask);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)configuration.Types);
        return length;
    }

    /// <summary>Encodes a configuration into a new array.</summary>
    public static byte[] Encode(RssConfiguration configuration)
    {
        var bytes = new byte[GetEncodedLength(configuration)];
        Write(bytes, configuration);
        return bytes;
    }

    /// <summary>Decodes a <c>TUNSETVNETRSS</c> / <c>TUNSETVNETREPORTINGRSS</c> argument.</summary>
    /// <param name="source">The whole argument, nothing after it.</param>
    /// <param name="profile">The profile of the resulting configuration; the kernel's rules by default.</param>
    /// <exception cref="ConfigurationException">The argument breaks a rule; the exception names the rule and the field.</exception>
    public static RssConfiguration Decode(ReadOnlySpan<byte> source, HashProfile profile = HashProfile.LinuxTun)
    {
        if (source.Length < RssLength)
        {
            throw new ConfigurationException(ConfigurationRule.Truncated, "tun_vnet_rss", $"{source.Length} bytes, the structure has {RssLength}");
        }

        var types = TunRssPayload.ReadTypes(BinaryPrimitives.ReadUInt32LittleEndian(source), "hash_types");
        ushort mask = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        ushort unclassified = BinaryPrimitives.ReadUInt16LittleEndian(source[6..]);
        return TunRssPayload.Read(source[RssLength..], types, mask, unclassified, profile);
    }
}
