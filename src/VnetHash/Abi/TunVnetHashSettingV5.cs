using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.Abi;

/// <summary>What a v5 <c>TUNSETVNETHASH</c> argument sets.</summary>
/// <param name="Report">Whether hashes are reported in the vnet header (<c>TUN_VNET_HASH_REPORT</c>).</param>
/// <param name="Types">The hash types; with RSS the same as <c>Rss.Types</c>.</param>
/// <param name="Rss">The RSS configuration when <c>TUN_VNET_HASH_RSS</c> is set, else <see langword="null"/>.</param>
public sealed record TunVnetHashSettingV5(bool Report, HashTypes Types, RssConfiguration? Rss);
