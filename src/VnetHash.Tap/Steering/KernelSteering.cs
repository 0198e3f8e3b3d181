using System.Buffers.Binary;
using System.Globalization;
using VnetHash.Abi;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>
/// The kernel-native backend: the series' own in-kernel Toeplitz RSS and hash report (v12
/// <c>TUNSETVNETREPORTINGRSS</c> or v5 <c>TUNSETVNETHASH</c> with REPORT|RSS), configured through the core's ABI
/// codecs. The kernel writes the report; frames are read with their header untouched.
/// </summary>
/// <remarks>
/// <para>
/// The configuration is per device: it is set through one queue fd and applies to every queue, attached now or
/// later. A queue detached with <c>TUNSETQUEUE</c> still accepts the set calls; after the device is deleted they fail
/// with EBADFD (<see cref="TapError.DeviceGone"/>).
/// </para>
/// <para>
/// It only takes configurations the kernel gives exactly the configured answers for (<see cref="Evaluate"/>): in
/// particular, types without an IPv4-family bit are refused, because the kernel then reads 4 key bytes and hashes
/// IPv6 with uninitialised ones (the key-length bug, kernel-series.md §0 quirk 1).
/// </para>
/// </remarks>
public sealed class KernelSteering : IDisposable
{
    /// <summary>The header size from which the kernel writes <c>hash_value</c> and <c>hash_report</c>.</summary>
    public const int ReportHeaderSize = 20;

    private readonly TapDevice? _device;
    private readonly FileDescriptorHandle? _fd;
    private readonly string _subject;
    private readonly Lock _gate = new();
    private RssConfiguration? _configuration;
    private bool _disposed;

    private KernelSteering(TapDevice? device, FileDescriptorHandle? fd, string subject, KernelHashSupport support, KernelSteeringMode mode)
    {
        _device = device;
        _fd = fd;
        _subject = subject;
        Support = support;
        Mode = mode;
    }

    /// <summary>What the kernel answered when probed.</summary>
    public KernelHashSupport Support { get; }

    /// <summary>The generation of the series' ioctls in use.</summary>
    public KernelHashGeneration Generation => Support.Generation;

    /// <summary>RSS with reporting, or reporting alone.</summary>
    public KernelSteeringMode Mode { get; }

    /// <summary>The RSS configuration in force; null in <see cref="KernelSteeringMode.ReportOnly"/>.</summary>
    public RssConfiguration? Configuration => Volatile.Read(ref _configuration);

    /// <summary>The hash types reported in <see cref="KernelSteeringMode.ReportOnly"/>; the configuration's types otherwise.</summary>
    public HashTypes ReportedTypes { get; private set; }

    /// <summary>
    /// Decides whether the kernel can serve <paramref name="configuration"/> on a device with
    /// <paramref name="queueCount"/> attached queues exactly as the core's <c>linux-tun</c> profile would: both
    /// REPORT and RSS offered, every type within the kernel's capability, the <c>linux-tun</c> profile, no symmetric
    /// mode, more than one queue, and types that do not trigger the key-length bug.
    /// </summary>
    public static KernelSteeringVerdict Evaluate(KernelHashSupport support, RssConfiguration configuration, int queueCount)
    {
        ArgumentNullException.ThrowIfNull(support);
        ArgumentNullException.ThrowIfNull(configuration);
        List<string> missing = Missing(support, configuration);
        if (queueCount < 2)
        {
            missing.Add($"{queueCount} attached queue(s): with fewer than two queues the kernel never runs queue selection, so it neither steers nor reports");
        }

        return missing.Count == 0
            ? new KernelSteeringVerdict(true, $"kernel {support.Generation}: {support.Detail}")
            : new KernelSteeringVerdict(false, string.Join("; ", missing));
    }

    /// <summary>Probes the kernel through the device and starts kernel-native RSS with reporting.</summary>
    /// <exception cref="TapException">
    /// <see cref="TapError.NotSupported"/> when the kernel cannot serve the configuration (the message names what is
    /// missing, see <see cref="Evaluate"/>); <see cref="TapError.DeviceGone"/> when the device was deleted.
    /// </exception>
    public static KernelSteering Start(TapDevice device, RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(configuration);
        KernelHashSupport support = KernelHashProbe.Probe(device.AnyQueue());
        ThrowIfCannotServe(Evaluate(support, configuration, device.AttachedQueueCount), device.Name);
        var steering = new KernelSteering(device, null, device.Name, support, KernelSteeringMode.Rss);
        steering.Apply(configuration);
        return steering;
    }

    /// <summary>
    /// Starts kernel-native RSS with reporting on <paramref name="device"/> with <paramref name="support"/> already
    /// probed and the configuration already judged servable (<see cref="RssTap"/>'s kernel backend).
    /// </summary>
    internal static KernelSteering Start(TapDevice device, KernelHashSupport support, RssConfiguration configuration)
    {
        var steering = new KernelSteering(device, null, device.Name, support, KernelSteeringMode.Rss);
        steering.Apply(configuration);
        return steering;
    }

    /// <summary>
    /// Starts kernel-native RSS with reporting through a queue fd of any tun or tap device (macvtap, ipvtap: an
    /// open <c>/dev/tapN</c>); <paramref name="queueCount"/> is the number of queue fds open on it.
    /// </summary>
    /// <exception cref="TapException">As <see cref="Start(TapDevice, RssConfiguration)"/>.</exception>
    public static KernelSteering Start(FileDescriptorHandle queue, string deviceName, int queueCount, RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(deviceName);
        ArgumentNullException.ThrowIfNull(configuration);
        KernelHashSupport support = KernelHashProbe.Probe(queue, attached: true);
        ThrowIfCannotServe(Evaluate(support, configuration, queueCount), deviceName);
        var steering = new KernelSteering(null, queue, deviceName, support, KernelSteeringMode.Rss);
        steering.Apply(configuration);
        return steering;
    }

    /// <summary>
    /// Starts hash reporting without RSS: the kernel keeps its own queue choice and reports, for each frame, the type
    /// and a value that is not a Toeplitz hash (<see cref="HashSource.KernelQueueIndex"/>). With one queue nothing is
    /// reported at all.
    /// </summary>
    /// <exception cref="TapException"><see cref="TapError.NotSupported"/> without the series; <see cref="TapError.DeviceGone"/> after deletion.</exception>
    public static KernelSteering StartReportOnly(TapDevice device, HashTypes types)
    {
        ArgumentNullException.ThrowIfNull(device);
        KernelHashSupport support = KernelHashProbe.Probe(device.AnyQueue());
        if (!support.IsSupported)
        {
            ThrowIfCannotServe(new KernelSteeringVerdict(false, $"the kernel has no hash reporting ({support.Detail})"), device.Name);
        }

        var steering = new KernelSteering(device, null, device.Name, support, KernelSteeringMode.ReportOnly);
        steering.ApplyReportOnly(types);
        return steering;
    }

    /// <summary>
    /// Replaces the RSS configuration while frames flow; the kernel swaps it atomically. The new configuration is
    /// checked as in <see cref="Evaluate"/> except for the queue count (queues come and go; the configuration stays).
    /// </summary>
    /// <exception cref="InvalidOperationException">The backend runs in <see cref="KernelSteeringMode.ReportOnly"/>.</exception>
    /// <exception cref="TapException">The kernel cannot serve it (the old one stays), or the device is gone.</exception>
    public void Update(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Mode != KernelSteeringMode.Rss)
        {
            throw new InvalidOperationException("report-only kernel steering has no RSS configuration to replace");
        }

        ThrowIfCannotUpdate(Support, configuration, _subject);
        Apply(configuration);
    }

    /// <summary>Reads the report the kernel wrote into a received header and labels its value.</summary>
    public KernelReport ReadReport(ReadOnlySpan<byte> header) => ReadReport(header, Mode);

    /// <summary>
    /// Reads <c>hash_value</c> (LE32 at 12) and <c>hash_report</c> (LE16 at 16) of a header the kernel wrote; a header
    /// shorter than 20 bytes carries none. Only RSS with reporting yields <see cref="HashSource.Toeplitz"/>.
    /// </summary>
    public static KernelReport ReadReport(ReadOnlySpan<byte> header, KernelSteeringMode mode)
    {
        if (header.Length < ReportHeaderSize)
        {
            return default;
        }

        var report = (HashReport)BinaryPrimitives.ReadUInt16LittleEndian(header[16..]);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (report == HashReport.None)
        {
            return new KernelReport(new HashResult(value, report), HashSource.None);
        }

        return new KernelReport(new HashResult(value, report), mode == KernelSteeringMode.Rss ? HashSource.Toeplitz : HashSource.KernelQueueIndex);
    }

    /// <summary>
    /// Takes the configuration off the device: v12 <c>TUNSETVNETREPORTINGAUTOMQ</c> with types 0 (the only call that
    /// leaves RSS), v5 <c>TUNSETVNETHASH</c> with flags 0.
    /// </summary>
    /// <exception cref="TapException">The kernel refused (<see cref="TapError.DeviceGone"/> when the device was deleted).</exception>
    public void Stop()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int errno = Clear();
            if (errno != 0)
            {
                throw Interop.IoErrors.Create(errno, KernelRssCommand.ClearName(Generation), _subject);
            }

            Volatile.Write(ref _configuration, null);
        }
    }

    /// <summary>Takes the configuration off the device when it still exists; errors are ignored (it may be gone).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (TryControl() is { IsClosed: false, IsInvalid: false })
            {
                _ = Clear();
            }
        }
    }

    private static List<string> Missing(KernelHashSupport support, RssConfiguration configuration)
    {
        var missing = new List<string>();
        if (!support.IsSupported)
        {
            missing.Add($"the kernel has no in-kernel RSS ({support.Detail})");
            return missing;
        }

        const ushort reportAndRss = (ushort)(TunVnetHashFlags.Report | TunVnetHashFlags.Rss);
        if (support.Generation == KernelHashGeneration.V5 && (support.Flags & reportAndRss) != reportAndRss)
        {
            missing.Add($"the kernel offers flags 0x{support.Flags:x}; REPORT|RSS (0x3) are needed");
        }

        HashTypes unsupported = configuration.Types & ~support.Types;
        if (unsupported != HashTypes.None)
        {
            HashTypes ex = unsupported & (HashTypes.IPv6Ex | HashTypes.TcpV6Ex | HashTypes.UdpV6Ex);
            string what = ex == unsupported ? "IPv6 _EX types" : $"types 0x{(uint)unsupported:x}";
            missing.Add($"{what} requested; this kernel supports 0x{(uint)support.Types:x}");
        }

        if (configuration.Profile != HashProfile.LinuxTun)
        {
            missing.Add($"profile {configuration.Profile} requested; the kernel hashes as the linux-tun profile");
        }

        if (configuration.Symmetric != SymmetricMode.None)
        {
            missing.Add($"symmetric mode {configuration.Symmetric} requested; the kernel hashes the plain tuple");
        }

        if (!TunVnetHashKey.KernelHashesCorrectly(configuration.Types))
        {
            missing.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"types 0x{(uint)configuration.Types:x} have no IPv4-family type: the kernel would read only {TunVnetHashKey.KernelKeyLengthRead(configuration.Types)} key bytes (key-length bug) and hash IPv6 with uninitialised key bytes"));
        }

        if (!BitConverter.IsLittleEndian)
        {
            missing.Add("the kernel reads its structures native-endian and the ABI codecs encode little-endian");
        }

        return missing;
    }

    private static void ThrowIfCannotServe(KernelSteeringVerdict verdict, string subject)
    {
        if (!verdict.CanServe)
        {
            throw KernelRssCommand.CannotServe(verdict, subject);
        }
    }

    /// <summary>
    /// Throws the named error when the kernel cannot serve <paramref name="configuration"/> as a replacement: every
    /// rule of <see cref="Evaluate"/> except the queue count.
    /// </summary>
    internal static void ThrowIfCannotUpdate(KernelHashSupport support, RssConfiguration configuration, string subject)
    {
        List<string> missing = Missing(support, configuration);
        if (missing.Count > 0)
        {
            throw KernelRssCommand.CannotServe(new KernelSteeringVerdict(false, string.Join("; ", missing)), subject);
        }
    }

    private FileDescriptorHandle Control() => _fd ?? _device!.AnyQueue().Handle;

    /// <summary>The control fd, or null when the device was disposed first or has no open queue left.</summary>
    private FileDescriptorHandle? TryControl()
    {
        try
        {
            return Control();
        }
        catch (Exception error) when (error is ObjectDisposedException or InvalidOperationException)
        {
            return null;
        }
    }

    private void Apply(RssConfiguration configuration)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            KernelRssCommand.Apply(Control(), _subject, Generation, configuration);
            ReportedTypes = configuration.Types;
            Volatile.Write(ref _configuration, configuration);
        }
    }

    private void ApplyReportOnly(HashTypes types)
    {
        lock (_gate)
        {
            KernelRssCommand.ApplyReportOnly(Control(), _subject, Generation, types);
            ReportedTypes = types;
        }
    }

    private int Clear() => KernelRssCommand.TryClear(Control(), Generation);
}
