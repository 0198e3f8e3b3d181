namespace VnetHash.Tap.Probing;

/// <summary>Which generation of the unmerged "tun: Introduce virtio-net hashing feature" ioctls a kernel answers.</summary>
public enum KernelHashGeneration
{
    /// <summary>Neither generation: the kernel has no in-kernel RSS or hash reporting for tun (every mainline kernel).</summary>
    None,
    /// <summary>RFC v5: <c>TUNGETVNETHASHCAP</c> / <c>TUNSETVNETHASH</c> (0x800854E4 / 0x400854E5).</summary>
    V5,
    /// <summary>v12: <c>TUNGETVNETHASHTYPES</c>, <c>TUNSETVNETREPORTINGAUTOMQ</c>, <c>TUNSETVNETREPORTINGRSS</c>, <c>TUNSETVNETRSS</c> (0x800454E4 … 0x800854E7).</summary>
    V12,
}
