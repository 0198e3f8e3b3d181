using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>
/// An immutable, validated RSS configuration: enabled hash types, Toeplitz key, indirection table and
/// unclassified queue, plus the rule profile and the opt-in symmetric mode.
/// </summary>
/// <remarks>
/// Table entries and the unclassified queue are queue indices; like the kernel series they may exceed the
/// number of queues and wrap modulo the queue count when a packet is steered.
/// </remarks>
public sealed class RssConfiguration
{
    /// <summary>The largest indirection table: the kernel's mask is a u16.</summary>
    public const int MaxIndirectionTableLength = 65536;

    private readonly byte[] _key;
    private readonly ushort[] _table;

    private RssConfiguration(HashTypes types, byte[] key, ushort[] table, ushort unclassifiedQueue, HashProfile profile, SymmetricMode symmetric)
    {
        Types = types;
        _key = key;
        _table = table;
        UnclassifiedQueue = unclassifiedQueue;
        Profile = profile;
        Symmetric = symmetric;
        PreparedKey = new ToeplitzKey(key);
    }

    /// <summary>The enabled hash types.</summary>
    public HashTypes Types { get; }

    /// <summary>The Toeplitz key bytes, byte 0 first.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>The key prepared for hashing.</summary>
    public ToeplitzKey PreparedKey { get; }

    /// <summary>The indirection table; its length is a power of two.</summary>
    public ReadOnlySpan<ushort> IndirectionTable => _table;

    /// <summary><c>IndirectionTable.Length - 1</c>, the mask applied to a hash.</summary>
    public int IndirectionTableMask => _table.Length - 1;

    /// <summary>The queue for packets that get no hash.</summary>
    public ushort UnclassifiedQueue { get; }

    /// <summary>The rules that decide each packet's hash type.</summary>
    public HashProfile Profile { get; }

    /// <summary>The symmetric-hashing extension, <see cref="SymmetricMode.None"/> unless asked for.</summary>
    public SymmetricMode Symmetric { get; }

    /// <summary>
    /// Validates and creates a configuration.
    /// </summary>
    /// <exception cref="ConfigurationException">A value breaks a rule; the exception names the field and the rule.</exception>
    public static RssConfiguration Create(
        HashTypes types,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<ushort> indirectionTable,
        ushort unclassifiedQueue = 0,
        HashProfile profile = HashProfile.VirtioSpec,
        SymmetricMode symmetric = SymmetricMode.None)
    {
        if ((types & ~HashTypes.All) != 0)
        {
            throw new ConfigurationException(ConfigurationRule.UnknownHashTypes, "hash_types", $"unknown hash type bits 0x{(uint)(types & ~HashTypes.All):x} (defined: 0x{(uint)HashTypes.All:x})");
        }

        if (!Enum.IsDefined(profile))
        {
            throw new ConfigurationException(ConfigurationRule.UnknownProfile, "profile", $"unknown profile {(int)profile}");
        }

        if (!Enum.IsDefined(symmetric))
        {
            throw new ConfigurationException(ConfigurationRule.UnknownSymmetricMode, "symmetric", $"unknown symmetric mode {(int)symmetric}");
        }

        ThrowIfBadTableLength(indirectionTable.Length);

        int needed = HashInput.RequiredKeyLength(types);
        if (key.Length < needed)
        {
            throw new ConfigurationException(ConfigurationRule.KeyTooShortForTypes, "hash_key", $"the enabled types hash up to {needed - ToeplitzKey.WindowBytes} input bytes and need a key of at least {needed} bytes, got {key.Length}");
        }

        return new RssConfiguration(types, key.ToArray(), indirectionTable.ToArray(), unclassifiedQueue, profile, symmetric);
    }

    /// <summary>
    /// The configuration tools such as ethtool start from: the given types and key, a table of
    /// <paramref name="tableLength"/> entries filled round-robin over <paramref name="queueCount"/> queues,
    /// unclassified queue 0.
    /// </summary>
    public static RssConfiguration RoundRobin(
        int queueCount,
        HashTypes types = HashTypes.All,
        ReadOnlySpan<byte> key = default,
        int tableLength = 128,
        HashProfile profile = HashProfile.VirtioSpec)
    {
        if (queueCount < 1 || queueCount > ushort.MaxValue + 1)
        {
            throw new ConfigurationException(ConfigurationRule.QueueCountOutOfRange, "queues", $"must be from 1 to {ushort.MaxValue + 1}, got {queueCount}");
        }

        ThrowIfBadTableLength(tableLength);

        var table = new ushort[tableLength];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ushort)(i % queueCount);
        }

        return Create(types, key.IsEmpty ? ToeplitzKey.MicrosoftKey : key, table, 0, profile);
    }

    /// <summary>A copy with other hash types, validated again.</summary>
    public RssConfiguration WithTypes(HashTypes types) => Create(types, _key, _table, UnclassifiedQueue, Profile, Symmetric);

    /// <summary>A copy with another profile.</summary>
    public RssConfiguration WithProfile(HashProfile profile) => Create(Types, _key, _table, UnclassifiedQueue, profile, Symmetric);

    /// <summary>A copy with another symmetric mode.</summary>
    public RssConfiguration WithSymmetric(SymmetricMode symmetric) => Create(Types, _key, _table, UnclassifiedQueue, Profile, symmetric);

    private static void ThrowIfBadTableLength(int length)
    {
        if (length < 1 || length > MaxIndirectionTableLength || (length & (length - 1)) != 0)
        {
            throw new ConfigurationException(
                length > MaxIndirectionTableLength ? ConfigurationRule.TableTooLong : ConfigurationRule.TableLengthNotPowerOfTwo,
                "indirection_table",
                $"length must be a power of two from 1 to {MaxIndirectionTableLength}, got {length}");
        }
    }
}
