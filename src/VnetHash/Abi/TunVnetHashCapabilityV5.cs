using VnetHash.Hashing;

namespace VnetHash.Abi;

/// <summary>What v5 <c>TUNGETVNETHASHCAP</c> reports: the supported flags and hash types (<c>REPORT|RSS</c> and <c>0x3F</c> on the series kernel).</summary>
/// <param name="Flags">The supported <see cref="TunVnetHashFlags"/>.</param>
/// <param name="Types">The supported hash types.</param>
public readonly record struct TunVnetHashCapabilityV5(TunVnetHashFlags Flags, HashTypes Types);
