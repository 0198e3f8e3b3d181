using CsCheck;
using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Tests.Abi;

/// <summary>Generators of valid RSS configurations for the codec round trips.</summary>
internal static class RssConfigurationGen
{
    /// <summary>Hash types within the nine virtio types.</summary>
    public static readonly Gen<HashTypes> Types = Gen.UInt[0, (uint)HashTypes.All].Select(bits => (HashTypes)bits);

    /// <summary>A power-of-two table of 1 to 256 entries.</summary>
    public static readonly Gen<ushort[]> Table = Gen.Int[0, 8].SelectMany(log => Gen.UShort.Array[1 << log]);

    /// <summary>
    /// Random bytes, and <paramref name="valid"/> with one byte changed, so that a decoder both accepts and refuses
    /// often.
    /// </summary>
    public static Gen<byte[]> BytesNear(byte[] valid) =>
        Gen.OneOf(
            Gen.Byte.Array[0, 64],
            Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Select((at, value) =>
            {
                byte[] copy = [.. valid];
                copy[at] = value;
                return copy;
            }));

    /// <summary>A configuration with a 40-byte key, the only key length the kernel ABI carries.</summary>
    public static Gen<RssConfiguration> With40ByteKey(HashProfile profile) =>
        Gen.Select(Types, Gen.Byte.Array[40], Table, Gen.UShort)
            .Select((types, key, table, unclassified) => RssConfiguration.Create(types, key, table, unclassified, profile));

    /// <summary>A configuration with a key of any length from what its types need up to 255 bytes.</summary>
    public static Gen<RssConfiguration> AnyKey(HashProfile profile) =>
        Gen.Select(Types, Table, Gen.UShort)
            .SelectMany((types, table, unclassified) => Gen.Byte.Array[HashInput.RequiredKeyLength(types), 255]
                .Select(key => RssConfiguration.Create(types, key, table, unclassified, profile)));

    /// <summary>Whether two configurations have equal fields.</summary>
    public static void AssertEqual(RssConfiguration expected, RssConfiguration actual)
    {
        Assert.Equal(expected.Types, actual.Types);
        Assert.Equal(expected.Key.ToArray(), actual.Key.ToArray());
        Assert.Equal(expected.IndirectionTable.ToArray(), actual.IndirectionTable.ToArray());
        Assert.Equal(expected.UnclassifiedQueue, actual.UnclassifiedQueue);
        Assert.Equal(expected.Profile, actual.Profile);
    }
}
