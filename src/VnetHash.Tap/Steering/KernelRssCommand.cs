using System.Buffers;
using VnetHash.Abi;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;

namespace VnetHash.Tap.Steering;

/// <summary>
/// Configures the series' in-kernel RSS with hash reporting (kernel-series.md §2.2, §2.6): v12
/// <c>TUNSETVNETREPORTINGRSS</c> or v5 <c>TUNSETVNETHASH</c> with REPORT|RSS, encoded by the core's ABI codecs.
/// The kernel swaps the whole configuration atomically (RCU), so this is also the reconfiguration.
/// </summary>
internal static unsafe class KernelRssCommand
{
    internal static void Apply(TapQueue queue, KernelHashGeneration generation, RssConfiguration configuration)
    {
        bool v12 = generation == KernelHashGeneration.V12;
        int length = v12 ? TunVnetRssV12.GetEncodedLength(configuration) : TunVnetHashV5.GetEncodedLength(configuration);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (v12)
            {
                TunVnetRssV12.Write(buffer, configuration);
            }
            else
            {
                TunVnetHashV5.Write(buffer, configuration, report: true);
            }

            fixed (byte* pointer = buffer)
            {
                queue.Ioctl(v12 ? TunIoctl.SetVnetReportingRssV12 : TunIoctl.SetVnetHashV5, pointer, v12 ? "TUNSETVNETREPORTINGRSS" : "TUNSETVNETHASH");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Turns the kernel's hashing off (v12: reporting types 0, the only way out of RSS; v5: flags 0); errors are ignored, the device may be gone.</summary>
    internal static void Clear(TapQueue queue, KernelHashGeneration generation)
    {
        byte* zero = stackalloc byte[TunVnetHashV5.HashLength];
        new Span<byte>(zero, TunVnetHashV5.HashLength).Clear();
        _ = queue.TryIoctl(generation == KernelHashGeneration.V12 ? TunIoctl.SetVnetReportingAutomqV12 : TunIoctl.SetVnetHashV5, zero);
    }

    internal static TapException Unsupported(KernelHashSupport support) =>
        new(TapError.NotSupported, Interop.Errno.EINVAL, "kernel RSS", $"kernel RSS is not available: {support.Detail}");
}
