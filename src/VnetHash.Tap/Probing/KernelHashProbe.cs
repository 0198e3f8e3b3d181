using System.Buffers.Binary;
using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Tap.Devices;

namespace VnetHash.Tap.Probing;

/// <summary>
/// Asks an attached queue fd which generation of the series' hashing ioctls the kernel has
/// (kernel-series.md §2.1, §2.5): v12 <c>TUNGETVNETHASHTYPES</c> first, then v5 <c>TUNGETVNETHASHCAP</c>.
/// </summary>
/// <remarks>
/// The fd must be attached: on a fresh or deleted tun fd a mainline kernel answers EBADFD before it looks at the
/// request, which proves nothing (linux-tap-ebpf.md §3). EINVAL is the mainline answer for an unknown request.
/// </remarks>
public static unsafe class KernelHashProbe
{
    /// <summary>Probes the kernel through <paramref name="queue"/>.</summary>
    public static KernelHashSupport Probe(TapQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        uint types = 0;
        int v12 = queue.TryIoctl(TunIoctl.GetVnetHashTypesV12, &types);
        if (v12 == 0)
        {
            return new KernelHashSupport(KernelHashGeneration.V12, (HashTypes)types, 0, $"TUNGETVNETHASHTYPES answered types 0x{types:x}");
        }

        byte* capability = stackalloc byte[TunVnetHashV5.HashLength];
        new Span<byte>(capability, TunVnetHashV5.HashLength).Clear();
        int v5 = queue.TryIoctl(TunIoctl.GetVnetHashCapV5, capability);
        if (v5 == 0)
        {
            var bytes = new ReadOnlySpan<byte>(capability, TunVnetHashV5.HashLength);
            ushort flags = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);
            uint capTypes = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) : BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
            return new KernelHashSupport(KernelHashGeneration.V5, (HashTypes)capTypes, flags, $"TUNGETVNETHASHTYPES answered {Name(v12)}; TUNGETVNETHASHCAP answered flags 0x{flags:x} types 0x{capTypes:x}");
        }

        string meaning = v12 == Interop.Errno.EINVAL && v5 == Interop.Errno.EINVAL
            ? "the hashing series is not in this kernel"
            : "the answers do not identify a generation (the fd may have lost its device)";
        return new KernelHashSupport(KernelHashGeneration.None, HashTypes.None, 0, $"TUNGETVNETHASHTYPES answered {Name(v12)} and TUNGETVNETHASHCAP {Name(v5)}: {meaning}");
    }

    private static string Name(int errno) => errno switch
    {
        Interop.Errno.EINVAL => "EINVAL",
        Interop.Errno.EBADFD => "EBADFD",
        Interop.Errno.EFAULT => "EFAULT",
        Interop.Errno.EPERM => "EPERM",
        _ => $"errno {errno}",
    };
}
