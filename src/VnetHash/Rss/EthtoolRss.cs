using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>The hash functions a NIC reports (<c>ETH_RSS_HASH_*</c>, in the order <c>ethtool -x</c> lists them).</summary>
[Flags]
public enum EthtoolHashFunctions : uint
{
    /// <summary>None reported.</summary>
    None = 0,
    /// <summary><c>toeplitz</c> (<c>ETH_RSS_HASH_TOP</c>).</summary>
    Toeplitz = 1 << 0,
    /// <summary><c>xor</c>.</summary>
    Xor = 1 << 1,
    /// <summary><c>crc32</c>.</summary>
    Crc32 = 1 << 2,
}

/// <summary>The input transformation a NIC applies before hashing (<c>RXH_XFRM_*</c>).</summary>
[Flags]
public enum EthtoolInputTransform : uint
{
    /// <summary>The plain tuple.</summary>
    None = 0,
    /// <summary><c>symmetric-xor</c>: source ⊕ destination in both places, for addresses and ports alike.</summary>
    SymmetricXor = 1 << 0,
    /// <summary><c>symmetric-or-xor</c>: source | destination, then source ⊕ destination.</summary>
    SymmetricOrXor = 1 << 1,
}

/// <summary>
/// A NIC's RSS settings as ethtool shows them (<c>ethtool -x IF</c>, or <c>SIOCETHTOOL</c> <c>ETHTOOL_GRSSH</c> and
/// <c>ETHTOOL_GRXFH</c>): indirection table, key, hash function, input transformation and, when known, which flow
/// types hash which fields.
/// </summary>
public sealed class EthtoolRss
{
    /// <summary>Creates the settings.</summary>
    public EthtoolRss(string? device, int ringCount, ushort[] indirectionTable, byte[] key, EthtoolHashFunctions functions, EthtoolInputTransform inputTransform, HashTypes? types = null)
    {
        ArgumentNullException.ThrowIfNull(indirectionTable);
        ArgumentNullException.ThrowIfNull(key);
        Device = device;
        RingCount = ringCount;
        IndirectionTable = indirectionTable;
        Key = key;
        Functions = functions;
        InputTransform = inputTransform;
        Types = types;
    }

    /// <summary>The interface name, when known.</summary>
    public string? Device { get; }

    /// <summary>The RX rings (queues) the table's entries refer to; 0 when not reported.</summary>
    public int RingCount { get; }

    /// <summary>The indirection table; empty when the device has none.</summary>
    public IReadOnlyList<ushort> IndirectionTable { get; }

    /// <summary>The hash key; empty when the device reports none.</summary>
    public IReadOnlyList<byte> Key { get; }

    /// <summary>The active hash function(s).</summary>
    public EthtoolHashFunctions Functions { get; }

    /// <summary>The input transformation.</summary>
    public EthtoolInputTransform InputTransform { get; }

    /// <summary>The hash types the device's per-flow-type fields amount to, or null when they were not read.</summary>
    public HashTypes? Types { get; }

    /// <summary>The number of queues steering wraps to: the ring count, or the largest entry plus one when none was reported.</summary>
    public int QueueCount => RingCount > 0 ? RingCount : IndirectionTable.Count == 0 ? 1 : IndirectionTable.Max() + 1;

    /// <summary>
    /// The RSS configuration that hashes and steers as the NIC does.
    /// </summary>
    /// <param name="defaultTypes">The types to use when the device's per-flow fields were not read.</param>
    /// <param name="profile">The rule profile.</param>
    /// <exception cref="ConfigurationException">The NIC has no RSS table or key, hashes with a function other than Toeplitz, or transforms the input in a way this library does not model.</exception>
    public RssConfiguration ToConfiguration(HashTypes defaultTypes = HashTypes.AllNonEx, HashProfile profile = HashProfile.VirtioSpec)
    {
        string who = Device is null ? "the NIC" : Device;
        if (IndirectionTable.Count == 0)
        {
            throw new ConfigurationException(ConfigurationRule.NoRss, "indirection_table", $"{who} reports no RSS indirection table: it does not support RSS");
        }

        if (Key.Count == 0)
        {
            throw new ConfigurationException(ConfigurationRule.KeyMissing, "hash_key", $"{who} reports no RSS hash key, so its hash cannot be computed");
        }

        if (Functions != EthtoolHashFunctions.None && (Functions & EthtoolHashFunctions.Toeplitz) == 0)
        {
            throw new ConfigurationException(ConfigurationRule.UnsupportedHashFunction, "hfunc", $"{who} hashes with {Describe(Functions)}, not Toeplitz; only Toeplitz is modelled");
        }

        if ((InputTransform & ~EthtoolInputTransform.SymmetricXor) != 0)
        {
            throw new ConfigurationException(ConfigurationRule.UnsupportedInputTransform, "input_xfrm", $"{who} applies the input transformation {Describe(InputTransform)}; only symmetric-xor is modelled");
        }

        int length = IndirectionTable.Count;
        if ((length & (length - 1)) != 0)
        {
            throw new ConfigurationException(ConfigurationRule.TableLengthNotPowerOfTwo, "indirection_table", $"{who} has an indirection table of {length} entries, not a power of two, so the entry is not the hash's low bits");
        }

        SymmetricMode symmetric = InputTransform == EthtoolInputTransform.SymmetricXor ? SymmetricMode.Xor : SymmetricMode.None;
        return RssConfiguration.Create(Types ?? defaultTypes, [.. Key], [.. IndirectionTable], 0, profile, symmetric);
    }

    private static string Describe(EthtoolHashFunctions functions) =>
        functions == EthtoolHashFunctions.None ? "no function" : string.Join(" and ", Enum.GetValues<EthtoolHashFunctions>().Where(f => f != 0 && functions.HasFlag(f)).Select(f => f.ToString().ToLowerInvariant()).DefaultIfEmpty($"unknown function bits 0x{(uint)functions:x}"));

    private static string Describe(EthtoolInputTransform transform) =>
        (transform & EthtoolInputTransform.SymmetricOrXor) != 0 ? "symmetric-or-xor" : $"bits 0x{(uint)transform:x}";
}
