using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Probing;

/// <summary>
/// Asks the kernel which generation of the series' hashing ioctls it has (kernel-series.md §2.1, §2.5): v12
/// <c>TUNGETVNETHASHTYPES</c> first, then v5 <c>TUNGETVNETHASHCAP</c>.
/// </summary>
/// <remarks>
/// <para>
/// On an attached queue fd, EINVAL to both is the mainline answer for an unknown request. On a fresh fd (no
/// <c>TUNSETIFF</c> yet) only the series' own capability call answers: v12 handles <c>TUNGETVNETHASHTYPES</c> and v5
/// handles <c>TUNGETVNETHASHCAP</c> before the device lookup, while the other generation's number and every
/// mainline kernel answer EBADFD (series-kernel-behaviour.md, "Telling the generations apart"). Asking TYPES first
/// then CAP on a fresh fd therefore identifies the generation; two EBADFD prove nothing either way.
/// </para>
/// <para>The answers are decoded with the core's ABI codecs (<see cref="TunVnetHashTypesV12"/>, <see cref="TunVnetHashV5"/>).</para>
/// </remarks>
public static unsafe class KernelHashProbe
{
    /// <summary>v12 <c>TUNGETVNETHASHTYPES _IOR('T', 228, __u32)</c>.</summary>
    internal static readonly nuint TUNGETVNETHASHTYPES = TunIoctl.GetVnetHashTypesV12;

    /// <summary>v5 <c>TUNGETVNETHASHCAP _IOR('T', 228, struct tun_vnet_hash)</c>.</summary>
    internal static readonly nuint TUNGETVNETHASHCAP = TunIoctl.GetVnetHashCapV5;

    /// <summary>Probes the kernel through an attached <paramref name="queue"/>.</summary>
    public static KernelHashSupport Probe(TapQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Probe(queue.Handle, attached: true);
    }

    /// <summary>
    /// Probes the kernel through a fresh <c>/dev/net/tun</c> fd that never attached to a device (no device is
    /// created, nothing to clean up).
    /// </summary>
    /// <exception cref="Errors.TapException"><c>/dev/net/tun</c> cannot be opened.</exception>
    public static KernelHashSupport ProbeUnattached()
    {
        using FileDescriptorHandle fd = Interop.Checked.Open(Interop.IoErrors.TunDevicePath, Interop.Sys.O_RDWR | Interop.Sys.O_CLOEXEC);
        return Probe(fd, attached: false);
    }

    /// <summary>
    /// Probes the kernel through any tun or tap (macvtap, ipvtap) queue fd; <paramref name="attached"/> says whether
    /// the fd has a device, which decides what two failures mean.
    /// </summary>
    public static KernelHashSupport Probe(FileDescriptorHandle fd, bool attached)
    {
        ArgumentNullException.ThrowIfNull(fd);
        string where = attached ? "an attached fd" : "a fresh fd";
        Span<byte> types = stackalloc byte[TunVnetHashTypesV12.Length];
        types.Clear();
        int v12;
        fixed (byte* pointer = types)
        {
            v12 = Interop.Checked.TryIoctl(fd, TUNGETVNETHASHTYPES, pointer);
        }

        if (v12 == 0)
        {
            HashTypes supported = (HashTypes)BitConverter.ToUInt32(types);
            return new KernelHashSupport(KernelHashGeneration.V12, supported, 0, $"on {where} TUNGETVNETHASHTYPES answered types 0x{(uint)supported:x}");
        }

        Span<byte> capability = stackalloc byte[TunVnetHashV5.HashLength];
        capability.Clear();
        int v5;
        fixed (byte* pointer = capability)
        {
            v5 = Interop.Checked.TryIoctl(fd, TUNGETVNETHASHCAP, pointer);
        }

        if (v5 == 0)
        {
            ushort flags = BitConverter.ToUInt16(capability);
            HashTypes supported = (HashTypes)BitConverter.ToUInt32(capability[4..]);
            return new KernelHashSupport(
                KernelHashGeneration.V5,
                supported,
                flags,
                $"on {where} TUNGETVNETHASHTYPES answered {Interop.Errno.Name(v12)}; TUNGETVNETHASHCAP answered flags 0x{flags:x} types 0x{(uint)supported:x}");
        }

        string meaning = (attached, v12, v5) switch
        {
            (true, Interop.Errno.EINVAL, Interop.Errno.EINVAL) => "the hashing series is not in this kernel",
            (false, Interop.Errno.EBADFD, Interop.Errno.EBADFD) => "neither generation answers without a device; the series is not in this kernel",
            _ => "the answers do not identify a generation (the fd may have lost its device)",
        };
        return new KernelHashSupport(KernelHashGeneration.None, HashTypes.None, 0, $"on {where} TUNGETVNETHASHTYPES answered {Interop.Errno.Name(v12)} and TUNGETVNETHASHCAP {Interop.Errno.Name(v5)}: {meaning}");
    }
}
