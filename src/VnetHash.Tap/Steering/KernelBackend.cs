using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>The series' in-kernel RSS picks the queue and writes the report; the readers check each frame's queue against that report.</summary>
internal sealed class KernelBackend : ISteeringBackend
{
    private readonly KernelSteering _steering;
    private readonly KernelSteeredRouter _router;

    /// <summary>Puts <paramref name="configuration"/> in force; <paramref name="support"/> was probed and the configuration judged servable on <paramref name="device"/>.</summary>
    internal KernelBackend(TapDevice device, KernelHashSupport support, RssConfiguration configuration, int queueCount)
    {
        _router = new KernelSteeredRouter(new RecentSteerings(new RssSteering(configuration)), device.IsEthernet ? FrameKind.Ethernet : FrameKind.IP, queueCount, kernelWritesReport: true);
        _steering = KernelSteering.Start(device, support, configuration);
    }

    public SteeringBackendKind Kind => SteeringBackendKind.Kernel;

    public IFrameRouter Router => _router;

    public void Apply(RssConfiguration configuration) => _router.Apply(configuration, _steering.Update);

    public void Dispose() => _steering.Dispose();
}
