namespace VnetHash.Tap.Steering;

/// <summary>Whether the series' kernel can serve a whole RSS configuration by itself, and if not, what is missing.</summary>
/// <param name="CanServe">True when kernel-native RSS gives exactly the configured hashes, reports and queues.</param>
/// <param name="Reason">
/// When it cannot: what is missing, in words (for example "IPv6 _EX types requested; this kernel supports 0x3F").
/// When it can: the generation and what the kernel answered.
/// </param>
public sealed record KernelSteeringVerdict(bool CanServe, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => CanServe ? $"kernel can serve: {Reason}" : $"kernel cannot serve: {Reason}";
}
