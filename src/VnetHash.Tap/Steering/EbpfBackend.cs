using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Ebpf;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>Our steering program, attached with <c>TUNSETSTEERINGEBPF</c>, picks the kernel queue; the readers write the report.</summary>
internal sealed class EbpfBackend : ISteeringBackend
{
    private readonly TapDevice _device;
    private readonly EbpfSteering _program;
    private readonly KernelSteeredRouter _router;

    /// <summary>Takes over a loaded and attached program.</summary>
    internal EbpfBackend(TapDevice device, EbpfSteering program, FrameKind kind, int queueCount)
    {
        _device = device;
        _program = program;
        _router = new KernelSteeredRouter(new RecentSteerings(new RssSteering(program.Configuration)), kind, queueCount, kernelWritesReport: false);
    }

    public SteeringBackendKind Kind => SteeringBackendKind.Ebpf;

    public IFrameRouter Router => _router;

    /// <summary>The kernel's id of the attached program (what <c>bpftool prog show id</c> takes).</summary>
    internal uint ProgramId => _program.Program.GetInfo().Id;

    public void Apply(RssConfiguration configuration) => _router.Apply(configuration, c => EbpfAttempt.Update(_program, c));

    public void Dispose()
    {
        if (_device.TryAnyQueue() is { IsClosed: false } queue)
        {
            EbpfAttempt.Detach(queue);
        }

        _program.Dispose();
    }
}
