using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Steering;

/// <summary>Tries to load the steering program and attach it to a device; says why when it cannot.</summary>
internal sealed class EbpfAttempt
{
    private EbpfAttempt(ISteeringProgram? program, string detail, Exception? error)
    {
        Program = program;
        Detail = detail;
        Error = error;
    }

    /// <summary>The attached program, or null.</summary>
    internal ISteeringProgram? Program { get; }

    /// <summary>What happened, in words.</summary>
    internal string Detail { get; }

    /// <summary>Why it failed, for an explicit choice.</summary>
    internal Exception? Error { get; }

    internal static EbpfAttempt Try(TapDevice device, IReadOnlyList<TapQueue> queues, RssConfiguration configuration, FrameKind kind, bool queuesFit, int queueCount)
    {
        if (!queuesFit)
        {
            string why = $"eBPF: the program steers among the {queues.Count} attached kernel queues; {queueCount} receive queues were asked for";
            return new EbpfAttempt(null, why, new ArgumentException(why));
        }

        string missing = $"eBPF: this build has no steering program loader for {device.Name} ({kind}, {configuration.IndirectionTable.Length}-entry table)";
        return new EbpfAttempt(null, missing, new TapException(TapError.NotSupported, 0, "eBPF steering", missing));
    }

    /// <summary>Detaches any steering program; errors are ignored (the device may be gone).</summary>
    internal static unsafe void Detach(TapQueue queue)
    {
        int none = -1;
        _ = queue.TryIoctl(TunRequests.TUNSETSTEERINGEBPF, &none);
    }
}
