using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;

namespace VnetHash.Tap.Probing;

/// <summary>Finds out what this host offers: kernel, privileges, <c>/dev/net/tun</c>, bpf, the series' ioctls, and which backend Auto takes.</summary>
public static class HostProbe
{
    private static int s_counter;

    /// <summary>Runs the probe. Without <see cref="HostProbeOptions.CreateProbeDevice"/> it only reads files and opens (then closes) <c>/dev/net/tun</c>.</summary>
    public static TunCapabilities Run(HostProbeOptions? options = null)
    {
        options ??= new HostProbeOptions();
        string release = ReadTrimmed("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString();
        bool root = Interop.Sys.GetEuid() == 0;
        EffectiveCapabilities capabilities = EffectiveCapabilities.Current();
        TunDeviceAccess access = ProbeTunDevice();
        int? bpfDisabled = int.TryParse(ReadTrimmed("/proc/sys/kernel/unprivileged_bpf_disabled"), out int value) ? value : null;

        TunDeviceProbe? device = null;
        string? skipped;
        if (!options.CreateProbeDevice)
        {
            skipped = "not asked for (the device probe creates a transient tap)";
        }
        else if (!access.Opens)
        {
            skipped = $"/dev/net/tun is not usable: {access.Detail}";
        }
        else
        {
            try
            {
                device = ProbeDevice();
                skipped = null;
            }
            catch (TapException error)
            {
                skipped = $"creating the probe tap failed: {error.Message}";
            }
        }

        return new TunCapabilities(release, root, capabilities, access, bpfDisabled, device, skipped, ReaderEngineSupport.Current);
    }

    private static TunDeviceAccess ProbeTunDevice()
    {
        if (!File.Exists(Interop.IoErrors.TunDevicePath))
        {
            return new TunDeviceAccess(false, false, Interop.IoErrors.Create(Interop.Errno.ENOENT, "open", Interop.IoErrors.TunDevicePath).Message);
        }

        try
        {
            using FileDescriptorHandle fd = Interop.Checked.Open(Interop.IoErrors.TunDevicePath, Interop.Sys.O_RDWR | Interop.Sys.O_CLOEXEC);
            return new TunDeviceAccess(true, true, "ok");
        }
        catch (TapException error)
        {
            return new TunDeviceAccess(true, false, error.Message);
        }
    }

    private static TunDeviceProbe ProbeDevice()
    {
        string name = $"vnhprobe{Environment.ProcessId % 100000}{(char)('a' + (Interlocked.Increment(ref s_counter) % 26))}";
        using TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = name, QueueCount = 2, BringUp = false });
        IReadOnlyList<TapQueue> queues = device.Queues;
        KernelHashSupport hash = KernelHashProbe.Probe(queues[0]);

        RssConfiguration configuration = RssConfiguration.RoundRobin(queues.Count);
        EbpfAttempt ebpf = EbpfAttempt.Try(device, queues, configuration, FrameKind.Ethernet, queuesFit: true, queues.Count);
        bool usable = ebpf.Program is not null;
        if (usable)
        {
            EbpfAttempt.Detach(queues[0]);
            ebpf.Program!.Dispose();
        }

        SteeringSelection auto = hash.IsSupported
            ? new SteeringSelection(SteeringBackendKind.Kernel, $"kernel {hash.Generation}: {hash.Detail}")
            : usable
                ? new SteeringSelection(SteeringBackendKind.Ebpf, $"kernel: {hash.Detail}; {ebpf.Detail}")
                : new SteeringSelection(SteeringBackendKind.Userspace, $"kernel: {hash.Detail}; {ebpf.Detail}");
        return new TunDeviceProbe(device.KernelFeatures, hash, usable, ebpf.Detail, auto);
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
