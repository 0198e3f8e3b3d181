using System.Buffers.Binary;
using VnetHash.Hashing;

namespace VnetHash.Abi;

/// <summary>
/// The u32 hash-type argument of the v12 generation's <c>TUNGETVNETHASHTYPES</c> (the supported types,
/// <c>0x3F</c> on the series kernel) and <c>TUNSETVNETREPORTINGAUTOMQ</c> (report automq hashes for these
/// types; 0 clears the whole configuration, RSS included). Little-endian, the native order of x86 and arm64.
/// </summary>
public static class TunVnetHashTypesV12
{
    /// <summary>Size of the argument.</summary>
    public const int Length = sizeof(uint);

    /// <summary>Encodes the types.</summary>
    /// <returns>The bytes written, <see cref="Length"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Write(Span<byte> destination, HashTypes types)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The hash types argument needs {Length} bytes, got {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)types);
        return Length;
    }

    /// <summary>Decodes exactly <see cref="Length"/> bytes.</summary>
    /// <exception cref="ConfigurationException">The buffer has another length or the value has unknown type bits.</exception>
    public static HashTypes Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < Length)
        {
            throw new ConfigurationException(ConfigurationRule.Truncated, "hash_types", $"{source.Length} bytes, the argument has {Length}");
        }

        if (source.Length > Length)
        {
            throw new ConfigurationException(ConfigurationRule.TrailingBytes, "hash_types", $"{source.Length - Length} bytes follow the argument");
        }

        return TunRssPayload.ReadTypes(BinaryPrimitives.ReadUInt32LittleEndian(source), "hash_types");
    }
}
