using VnetHash.Hashing;

namespace VnetHash.Tap.Probing;

/// <summary>What the kernel's hashing ioctls answered on an attached queue fd.</summary>
/// <param name="Generation">The generation found, or <see cref="KernelHashGeneration.None"/>.</param>
/// <param name="Types">The hash types the kernel supports (0x3F on the series kernels).</param>
/// <param name="Flags">v5 only: the capability flags (REPORT 1, RSS 2); 0 otherwise.</param>
/// <param name="Detail">How it was found, in words (which ioctl answered what).</param>
public sealed record KernelHashSupport(KernelHashGeneration Generation, HashTypes Types, ushort Flags, string Detail)
{
    /// <summary>Whether the kernel can steer with RSS and report hashes itself.</summary>
    public bool IsSupported => Generation != KernelHashGeneration.None;
}
