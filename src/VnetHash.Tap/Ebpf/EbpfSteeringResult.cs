using VnetHash.Hashing;

namespace VnetHash.Tap.Ebpf;

/// <summary>The steering program's decision for the last packet it saw (recorded only when asked for).</summary>
/// <param name="Hash">The Toeplitz hash; 0 when <paramref name="Report"/> is <see cref="HashReport.None"/>.</param>
/// <param name="Report">The hash type the program chose.</param>
/// <param name="Queue">The value it returned (the kernel takes it modulo the queue count).</param>
/// <param name="Packets">Packets seen since the program was loaded (not exact under concurrent traffic).</param>
public readonly record struct EbpfSteeringResult(uint Hash, HashReport Report, uint Queue, uint Packets)
{
    /// <summary>The decision as a <see cref="HashResult"/>.</summary>
    public HashResult HashResult => new(Hash, Report);
}
