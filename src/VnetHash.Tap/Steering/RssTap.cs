using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Ebpf;
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
/// <see cref="Reconfigure"/> swaps the configuration atomically while frames flow; frames already in a receive
/// queue keep their queue and report. Dispose it before the device.
/// </remarks>
public sealed class RssTap : IDisposable
{
    private readonly TapReceiver _receiver;
    private readonly UserspaceRouter? _userspace;
    private readonly KernelQueueReportRouter? _reported;
    private readonly KernelHashSupport? _kernel;
    private readonly TapQueue? _controlQueue;
    private readonly Lock _gate = new();
    private RssConfiguration _configuration;
    private EbpfSteering? _program;
    private bool _disposed;

    private RssTap(TapDevice device, RssConfiguration configuration, SteeringSelection selection, TapReceiver receiver, UserspaceRouter? userspace, KernelQueueReportRouter? reported, KernelHashSupport? kernel, TapQueue? controlQueue)
    {
        Device = device;
        _configuration = configuration;
        Selection = selection;
        _receiver = receiver;
        _userspace = userspace;
        _reported = reported;
        _kernel = kernel;
        _controlQueue = controlQueue;
    }

    /// <summary>The device read.</summary>
    public TapDevice Device { get; }

    /// <summary>The backend in use and why.</summary>
    public SteeringSelection Selection { get; }

    /// <summary>The configuration in force.</summary>
    public RssConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>The receive queues: <c>Queues[i]</c> gets the frames RSS steers to queue <c>i</c>.</summary>
    public IReadOnlyList<ReceiveQueue> Queues => _receiver.Queues;

    /// <summary>The readers of the kernel queues, with their counters.</summary>
    public TapReceiver Receiver => _receiver;

    /// <summary>Chooses a backend (or takes the one asked for), configures it and starts reading every attached queue.</summary>
    /// <exception cref="ArgumentException">The options do not fit the device (for example a queue count the kernel backends cannot serve).</exception>
    /// <exception cref="TapException">An explicitly chosen backend cannot work here (<see cref="TapError.NotSupported"/>, <see cref="TapError.PermissionDenied"/>, …); Auto never throws for that.</exception>
    public static RssTap Start(TapDevice device, RssConfiguration configuration, RssTapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new RssTapOptions();
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

        FrameKind kind = device.IsEthernet ? FrameKind.Ethernet : FrameKind.IP;
        SteeringBackendKind backend = options.Backend;
        var why = new List<string>();
        bool kernelQueuesFit = queueCount == queues.Count;

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
                    KernelRssCommand.Apply(queues[0], support.Generation, configuration);
                    var selection = new SteeringSelection(SteeringBackendKind.Kernel, verdict.Reason);
                    return new RssTap(device, configuration, selection, new TapReceiver(device, queues, queueCount, PassThroughRouter.Instance, options.Reader), null, null, support, queues[0]);
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
            EbpfAttempt attempt = EbpfAttempt.Try(device, queues, configuration, kind, kernelQueuesFit, queueCount);
            if (attempt.Program is not null)
            {
                var router = new KernelQueueReportRouter(new RssSteering(configuration), kind);
                var selection = new SteeringSelection(SteeringBackendKind.Ebpf, Join(why, attempt.Detail));
                try
                {
                    return new RssTap(device, configuration, selection, new TapReceiver(device, queues, queueCount, router, options.Reader), null, router, null, queues[0]) { _program = attempt.Program };
                }
                catch
                {
                    attempt.Program.Dispose();
                    throw;
                }
            }

            if (backend == SteeringBackendKind.Ebpf)
            {
                throw attempt.Error!;
            }

            why.Add(attempt.Detail);
        }

        var userspace = new UserspaceRouter(new RssSteering(configuration), kind, queueCount);
        string reason = options.Backend == SteeringBackendKind.Userspace
            ? $"asked for; {queues.Count} kernel queue(s) read and steered to {queueCount} receive queues in this process"
            : Join(why, $"userspace: {queues.Count} kernel queue(s) read and steered to {queueCount} receive queues in this process");
        return new RssTap(device, configuration, new SteeringSelection(SteeringBackendKind.Userspace, reason), new TapReceiver(device, queues, queueCount, userspace, options.Reader), userspace, null, null, null);
    }

    /// <summary>Replaces the configuration atomically: each frame is steered and reported wholly by the old or wholly by the new one.</summary>
    /// <exception cref="TapException">The kernel refused the new configuration (kernel and eBPF backends); the old one stays.</exception>
    public void Reconfigure(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            switch (Selection.Kind)
            {
                case SteeringBackendKind.Kernel:
                    KernelSteering.ThrowIfCannotUpdate(_kernel!, configuration, Device.Name);
                    KernelRssCommand.Apply(_controlQueue!, _kernel!.Generation, configuration);
                    break;
                case SteeringBackendKind.Ebpf:
                    EbpfAttempt.Update(_program!, configuration);
                    _reported!.Steering = new RssSteering(configuration);
                    break;
                default:
                    _userspace!.Steering = new RssSteering(configuration);
                    break;
            }

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

        _receiver.Dispose();
        if (_controlQueue is { IsClosed: false })
        {
            if (Selection.Kind == SteeringBackendKind.Kernel)
            {
                KernelRssCommand.Clear(_controlQueue, _kernel!.Generation);
            }
            else if (Selection.Kind == SteeringBackendKind.Ebpf)
            {
                EbpfAttempt.Detach(_controlQueue);
            }
        }

        _program?.Dispose();
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

    private static string Join(List<string> why, string last) => string.Join("; ", [.. why, last]);
}
