using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;
using VnetHash.Tap.Probing;

namespace VnetHash.Tap.Steering;

/// <summary>
/// The series' hashing set calls (kernel-series.md §2.2, §2.6), encoded by the core's ABI codecs: v12
/// <c>TUNSETVNETREPORTINGRSS</c> / <c>TUNSETVNETREPORTINGAUTOMQ</c>, v5 <c>TUNSETVNETHASH</c> with REPORT|RSS or
/// REPORT. The kernel swaps the whole configuration atomically. They work on any tun or tap (macvtap, ipvtap) queue
/// fd whose device exists, a detached tun queue included; after the device is deleted they fail with EBADFD.
/// </summary>
/// <remarks>
/// The key region is always 40 bytes (<see cref="TunVnetHashKey"/>). That does not make the key-length bug harmless:
/// with no IPv4-family type the kernel reads 4 of them. Callers check <see cref="KernelSteering.Evaluate"/> first.
/// </remarks>
internal static unsafe class KernelRssCommand
{
    /// <summary>RSS with reporting through a tun queue.</summary>
    internal static void Apply(TapQueue queue, KernelHashGeneration generation, RssConfiguration configuration) =>
        Apply(queue.Handle, queue.Device.Name, generation, configuration);

    /// <summary>RSS with reporting through any queue fd.</summary>
    internal static void Apply(FileDescriptorHandle fd, string subject, KernelHashGeneration generation, RssConfiguration configuration)
    {
        (byte[] argument, uint request, string name) = generation switch
        {
            KernelHashGeneration.V12 => (TunVnetRssV12.Encode(configuration), TunVnetRssV12.IoctlFor(report: true), "TUNSETVNETREPORTINGRSS"),
            KernelHashGeneration.V5 => (TunVnetHashV5.Encode(configuration, report: true), TunIoctl.SetVnetHashV5, "TUNSETVNETHASH"),
            _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, "no generation of the series to configure"),
        };
        Run(fd, request, argument, name, subject);
    }

    /// <summary>Reporting without RSS: the kernel keeps its automatic queue choice.</summary>
    internal static void ApplyReportOnly(FileDescriptorHandle fd, string subject, KernelHashGeneration generation, HashTypes types)
    {
        (byte[] argument, uint request, string name) = generation switch
        {
            KernelHashGeneration.V12 => (TypesArgument(types), TunIoctl.SetVnetReportingAutomqV12, "TUNSETVNETREPORTINGAUTOMQ"),
            KernelHashGeneration.V5 => (TunVnetHashV5.Encode(TunVnetHashFlags.Report, types), TunIoctl.SetVnetHashV5, "TUNSETVNETHASH"),
            _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, "no generation of the series to configure"),
        };
        Run(fd, request, argument, name, subject);
    }

    /// <summary>
    /// Takes the configuration off: v12 <c>TUNSETVNETREPORTINGAUTOMQ</c> with types 0 (the only call that leaves
    /// RSS), v5 <c>TUNSETVNETHASH</c> with flags 0. Returns 0 or the errno.
    /// </summary>
    internal static int TryClear(FileDescriptorHandle fd, KernelHashGeneration generation)
    {
        byte[] argument = generation == KernelHashGeneration.V12
            ? TypesArgument(HashTypes.None)
            : TunVnetHashV5.Encode(TunVnetHashFlags.None, HashTypes.None);
        uint request = generation == KernelHashGeneration.V12 ? TunIoctl.SetVnetReportingAutomqV12 : TunIoctl.SetVnetHashV5;
        fixed (byte* pointer = argument)
        {
            return Interop.Checked.TryIoctl(fd, request, pointer);
        }
    }

    /// <summary>The name of the call <see cref="TryClear"/> makes, for its error message.</summary>
    internal static string ClearName(KernelHashGeneration generation) =>
        generation == KernelHashGeneration.V12 ? "TUNSETVNETREPORTINGAUTOMQ" : "TUNSETVNETHASH";

    /// <summary>Turns the kernel's hashing off; errors are ignored, the device may be gone.</summary>
    internal static void Clear(TapQueue queue, KernelHashGeneration generation) => _ = TryClear(queue.Handle, generation);

    internal static TapException Unsupported(KernelHashSupport support) =>
        new(TapError.NotSupported, Interop.Errno.EINVAL, "kernel RSS", $"kernel RSS is not available: {support.Detail}");

    /// <summary>The named error of an explicit kernel choice that cannot serve the configuration.</summary>
    internal static TapException CannotServe(KernelSteeringVerdict verdict, string subject) =>
        new(TapError.NotSupported, 0, "kernel RSS", $"kernel-native RSS cannot serve this configuration on {subject}: {verdict.Reason}");

    private static byte[] TypesArgument(HashTypes types)
    {
        var argument = new byte[TunVnetHashTypesV12.Length];
        TunVnetHashTypesV12.Write(argument, types);
        return argument;
    }

    private static void Run(FileDescriptorHandle fd, uint request, byte[] argument, string name, string subject)
    {
        fixed (byte* pointer = argument)
        {
            Interop.Checked.Ioctl(fd, request, pointer, name, subject);
        }
    }
}
