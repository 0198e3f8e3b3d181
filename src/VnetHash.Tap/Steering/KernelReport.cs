using VnetHash.Hashing;

namespace VnetHash.Tap.Steering;

/// <summary>The hash report the kernel wrote into a received header, with what its value is.</summary>
/// <param name="Hash">The raw <c>hash_value</c> and <c>hash_report</c>, untouched.</param>
/// <param name="Source">What <c>hash_value</c> is; only <see cref="HashSource.Toeplitz"/> is a Toeplitz hash.</param>
public readonly record struct KernelReport(HashResult Hash, HashSource Source)
{
    /// <summary>The Toeplitz hash, or null when the value is not one (no report, or a kernel queue index).</summary>
    public uint? ToeplitzHash => Source == HashSource.Toeplitz ? Hash.Value : null;
}
