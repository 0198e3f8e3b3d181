using VnetHash.Abi;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Ebpf;
using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Steering;

/// <summary>Tries to load the steering program and attach it to a device; says why when it cannot.</summary>
internal sealed class EbpfAttempt
{
    private EbpfAttempt(EbpfSteering? program, string detail, Exception? error)
    {
        Program = program;
        Detail = detail;
        Error = error;
    }

    /// <summary>The loaded and attached program, or null.</summary>
    internal EbpfSteering? Program { get; }

    /// <summary>What happened, in words.</summary>
    internal string Detail { get; }

    /// <summary>Why it failed, thrown for an explicit choice.</summary>
    internal Exception? Error { get; }

    internal static EbpfAttempt Try(TapDevice device, IReadOnlyList<TapQueue> queues, RssConfiguration configuration, FrameKind kind, bool queuesFit, int queueCount)
    {
        if (!queuesFit)
        {
            string why = $"eBPF: the program steers among the {queues.Count} attached kernel queues; {queueCount} receive queues were asked for";
            return new EbpfAttempt(null, why, new ArgumentException(why));
        }

        EbpfSteering program;
        try
        {
            program = EbpfSteering.Load(configuration, new EbpfSteeringOptions { FrameKind = kind });
        }
        catch (PlatformNotSupportedException error)
        {
            return Failed($"eBPF: {error.Message}", TapError.NotSupported, Interop.Errno.ENOSYS, error);
        }
        catch (BpfException error)
        {
            TapError kindOfError = error.Errno is Interop.Errno.EPERM or Interop.Errno.EACCES ? TapError.PermissionDenied : TapError.NotSupported;
            string hint = kindOfError == TapError.PermissionDenied ? " (bpf(2) needs CAP_BPF or root)" : string.Empty;
            return Failed($"eBPF: loading the steering program failed{hint}: {error.Message}", kindOfError, error.Errno, error);
        }

        try
        {
            queues[0].SetSteeringProgram(program.ProgramHandle);
        }
        catch (TapException error)
        {
            program.Dispose();
            return Failed($"eBPF: TUNSETSTEERINGEBPF on {device.Name} refused the program: {error.Message}", error.Error, error.Errno, error);
        }

        return new EbpfAttempt(program, $"eBPF: steering program loaded (bpf(2) permitted) and attached to {device.Name} with TUNSETSTEERINGEBPF", null);
    }

    /// <summary>Detaches any steering program; errors are ignored (the device may be gone).</summary>
    internal static unsafe void Detach(TapQueue queue)
    {
        int none = -1;
        _ = queue.TryIoctl(TunIoctl.SetSteeringEbpf, &none);
    }

    /// <summary>Replaces the program's configuration atomically, with the program's errors named as TAP errors.</summary>
    internal static void Update(EbpfSteering program, RssConfiguration configuration)
    {
        try
        {
            program.Update(configuration);
        }
        catch (ArgumentException error) when (configuration.Profile != program.Configuration.Profile)
        {
            // The attached program embodies its profile's rules; another profile needs another program.
            throw new TapException(TapError.NotSupported, 0, "eBPF reconfigure", $"eBPF reconfigure refused: {error.Message}", error);
        }
        catch (BpfException error)
        {
            throw new TapException(TapError.Other, error.Errno, "eBPF reconfigure", $"eBPF reconfigure failed: {error.Message}", error);
        }
    }

    private static EbpfAttempt Failed(string detail, TapError error, int errno, Exception inner) =>
        new(null, detail, new TapException(error, errno, "eBPF steering", detail, inner));
}
