using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>
/// A TAP device read with virtio-net RSS: every received frame lands on the receive queue RSS picks and carries the
/// hash report the series' kernel would write (<c>hash_value</c> and <c>hash_report</c> of the 20-byte header),
/// whichever backend decides (see <see cref="SteeringBackendKind"/> and <see cref="Selection"/>).
/// </summary>
/// <remarks>
/// <para>
/// Right from the first frame: create the device with its link down (<see cref="TapDeviceOptions.BringUp"/> false);
/// <see cref="Start(TapDevice, RssConfiguration, RssTapOptions)"/> puts the configuration in force, starts a reader
/// on every attached queue and only then sets the link up (<see cref="RssTapOptions.BringUp"/>), so the device
/// carries no frame before its steering is in place. Whatever the order, a reader never delivers a frame on a queue
/// other than the one its steering decision names: such a frame (one the kernel queued before the steering, or while
/// a queue was detached) is dropped and counted (<see cref="KernelQueueStatistics.DroppedMisrouted"/>).
/// </para>
/// <para>
/// <see cref="Reconfigure"/> swaps the configuration atomically while frames flow; frames already read keep their
/// queue and report. Dispose it before the device.
/// </para>
/// </remarks>
public sealed class RssTap : IDisposable
{
    private readonly TapReceiver _receiver;
    private readonly ISteeringBackend _backend;
    private readonly Lock _gate = new();
    private RssConfiguration _configuration;
    private bool _disposed;

    private RssTap(TapDevice device, RssConfiguration configuration, SteeringSelection selection, TapReceiver receiver, ISteeringBackend backend)
    {
        Device = device;
        _configuration = configuration;
        Selection = selection;
        _receiver = receiver;
        _backend = backend;
    }

    /// <summary>The device read.</summary>
    public TapDevice Device { get; }

    /// <summary>The backend in use and why.</summary>
    public SteeringSelection Selection { get; }

    /// <summary>The configuration in force.</summary>
    public RssConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>The receive queues: <c>Queues[i]</c> gets the frames RSS steers to queue <c>i</c>.</summary>
    public IReadOnlyList<ReceiveQueue> Queues => _receiver.Queues;

    /// <summary>The readers of the kernel queues, with their counters, engine and completion.</summary>
    public TapReceiver Receiver => _receiver;

    /// <summary>The kernel's id of the attached steering program (eBPF backend), for <c>bpftool prog show id</c>; null for the other backends.</summary>
    public uint? SteeringProgramId => _backend is EbpfBackend ebpf ? ebpf.ProgramId : null;

    /// <summary>
    /// Chooses a backend (or takes the one asked for), puts the configuration in force, starts reading every attached
    /// queue into the receive queues <see cref="Queues"/>, and sets the link up.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not fit the device (for example a queue count the kernel backends cannot serve).</exception>
    /// <exception cref="TapException">An explicitly chosen backend or reader engine cannot work here (<see cref="TapError.NotSupported"/>, <see cref="TapError.PermissionDenied"/>, …); Auto never throws for that.</exception>
    public static RssTap Start(TapDevice device, RssConfiguration configuration) => StartCore(device, configuration, null, new RssTapOptions());

    /// <summary>As <see cref="Start(TapDevice, RssConfiguration)"/>, with options.</summary>
    /// <exception cref="ArgumentException">The options do not fit the device.</exception>
    /// <exception cref="TapException">An explicitly chosen backend or reader engine cannot work here.</exception>
    public static RssTap Start(TapDevice device, RssConfiguration configuration, RssTapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartCore(device, configuration, null, options);
    }

    /// <summary>
    /// As <see cref="Start(TapDevice, RssConfiguration)"/>, but every batch a reader takes is given to
    /// <paramref name="handler"/> on that reader's thread, frames lent without a copy (run to completion); the
    /// receive queues then only count.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not fit the device.</exception>
    /// <exception cref="TapException">An explicitly chosen backend or reader engine cannot work here.</exception>
    public static RssTap Start(TapDevice device, RssConfiguration configuration, TapFrameHandler handler) =>
        Start(device, configuration, handler, new RssTapOptions());

    /// <summary>As <see cref="Start(TapDevice, RssConfiguration, TapFrameHandler)"/>, with options.</summary>
    /// <exception cref="ArgumentException">The options do not fit the device.</exception>
    /// <exception cref="TapException">An explicitly chosen backend or reader engine cannot work here.</exception>
    public static RssTap Start(TapDevice device, RssConfiguration configuration, TapFrameHandler handler, RssTapOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        return StartCore(device, configuration, handler, options);
    }

    /// <summary>Replaces the configuration atomically: each frame is steered and reported wholly by the old or wholly by the new one.</summary>
    /// <exception cref="TapException">The kernel refused the new configuration (kernel and eBPF backends); the old one stays.</exception>
    public void Reconfigure(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _backend.Apply(configuration);
            Volatile.Write(ref _configuration, configuration);
        }
    }

    /// <summary>Stops the readers and takes the steering off the device (kernel configuration cleared, program detached).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
            _receiver.Dispose();
        }
        finally
        {
            _backend.Dispose();
        }
    }

    /// <summary>Why the series' kernel RSS cannot serve this set-up, or null when it can.</summary>
    internal static string? KernelUnfit(RssConfiguration configuration, int kernelQueues, int queueCount)
    {
        if (queueCount != kernelQueues)
        {
            return $"kernel RSS steers among the {kernelQueues} attached queues; {queueCount} receive queues were asked for";
        }

        const HashTypes IPv4Family = HashTypes.IPv4 | HashTypes.TcpV4 | HashTypes.UdpV4;
        const HashTypes IPv6Family = HashTypes.IPv6 | HashTypes.TcpV6 | HashTypes.UdpV6;
        if ((configuration.Types & IPv4Family) == 0 && (configuration.Types & IPv6Family) != 0)
        {
            return "with no IPv4 type enabled the kernel reads only 4 key bytes (kernel-series.md §3.7), so its IPv6 hashes would use uninitialised key bytes; enable an IPv4 type or use another backend";
        }

        return null;
    }

    private static RssTap StartCore(TapDevice device, RssConfiguration configuration, TapFrameHandler? handler, RssTapOptions options)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(configuration);
        options.Reader.Validate();
        if (!Enum.IsDefined(options.Backend))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "unknown steering backend");
        }

        IReadOnlyList<TapQueue> queues = device.Queues;
        if (queues.Count == 0)
        {
            throw new ArgumentException($"{device.Name} has no attached queue to read", nameof(device));
        }

        int queueCount = options.QueueCount ?? queues.Count;
        if (queueCount < 1 || queueCount > RssConfiguration.MaxIndirectionTableLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), queueCount, $"QueueCount must be from 1 to {RssConfiguration.MaxIndirectionTableLength}");
        }

        (ISteeringBackend backend, SteeringSelection selection) = Choose(device, queues, configuration, options.Backend, queueCount);
        TapReceiver? receiver = null;
        try
        {
            receiver = new TapReceiver(device, queues, queueCount, backend.Router, options.Reader, handler);
            var tap = new RssTap(device, configuration, selection, receiver, backend);
            if (options.BringUp)
            {
                device.SetLinkUp(true);
            }

            return tap;
        }
        catch
        {
            receiver?.Dispose();
            backend.Dispose();
            throw;
        }
    }

    /// <summary>The backend asked for, or for Auto the best that works here, with its configuration in force and the reason.</summary>
    private static (ISteeringBackend Backend, SteeringSelection Selection) Choose(TapDevice device, IReadOnlyList<TapQueue> queues, RssConfiguration configuration, SteeringBackendKind backend, int queueCount)
    {
        FrameKind kind = device.IsEthernet ? FrameKind.Ethernet : FrameKind.IP;
        var why = new List<string>();
        if (backend is SteeringBackendKind.Auto or SteeringBackendKind.Kernel)
        {
            KernelHashSupport support = KernelHashProbe.Probe(queues[0]);
            // Kernel-native only when the kernel gives exactly the configured answers (KernelSteering.Evaluate):
            // types within its capability, linux-tun, no symmetric mode, more than one queue, no key-length bug;
            // and only for as many receive queues as kernel queues.
            KernelSteeringVerdict verdict = KernelSteering.Evaluate(support, configuration, queues.Count);
            string? unfit = verdict.CanServe ? KernelUnfit(configuration, queues.Count, queueCount) : verdict.Reason;
            if (unfit is null)
            {
                try
                {
                    return (new KernelBackend(device, support, configuration, queueCount), new SteeringSelection(SteeringBackendKind.Kernel, verdict.Reason));
                }
                catch (TapException error) when (backend == SteeringBackendKind.Auto)
                {
                    why.Add($"kernel {support.Generation}: configuring failed ({error.Message})");
                }
            }
            else if (backend == SteeringBackendKind.Kernel)
            {
                throw !verdict.CanServe
                    ? KernelRssCommand.CannotServe(verdict, device.Name)
                    : new ArgumentException($"kernel {support.Generation}: {unfit}", nameof(configuration));
            }
            else
            {
                why.Add($"kernel: {unfit}");
            }
        }

        if (backend is SteeringBackendKind.Auto or SteeringBackendKind.Ebpf)
        {
            EbpfAttempt attempt = EbpfAttempt.Try(device, queues, configuration, kind, queueCount == queues.Count, queueCount);
            if (attempt.Program is not null)
            {
                return (new EbpfBackend(device, attempt.Program, kind, queueCount), new SteeringSelection(SteeringBackendKind.Ebpf, Join(why, attempt.Detail)));
            }

            if (backend == SteeringBackendKind.Ebpf)
            {
                throw attempt.Error!;
            }

            why.Add(attempt.Detail);
        }

        string reason = backend == SteeringBackendKind.Userspace
            ? $"asked for; {queues.Count} kernel queue(s) read and steered to {queueCount} receive queues in this process"
            : Join(why, $"userspace: {queues.Count} kernel queue(s) read and steered to {queueCount} receive queues in this process");
        return (new UserspaceBackend(configuration, kind, queueCount), new SteeringSelection(SteeringBackendKind.Userspace, reason));
    }

    private static string Join(List<string> why, string last) => string.Join("; ", [.. why, last]);
}
