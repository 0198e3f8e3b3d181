using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Reading;

namespace VnetHash.Tap.Steering;

/// <summary>The readers hash and steer every frame of the kernel queue(s) in this process.</summary>
internal sealed class UserspaceBackend(RssConfiguration configuration, FrameKind kind, int queueCount) : ISteeringBackend
{
    private readonly UserspaceRouter _router = new(new RssSteering(configuration), kind, queueCount);

    public SteeringBackendKind Kind => SteeringBackendKind.Userspace;

    public IFrameRouter Router => _router;

    public void Apply(RssConfiguration configuration) => _router.Steering = new RssSteering(configuration);

    public void Dispose()
    {
    }
}
