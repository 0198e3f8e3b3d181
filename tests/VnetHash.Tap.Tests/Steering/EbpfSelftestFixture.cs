using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;

namespace VnetHash.Tap.Tests.Steering;

/// <summary>One selftest tap steered by the program for all seven variants: loading the program is the slow part.</summary>
public sealed class EbpfSelftestFixture : IDisposable
{
    private readonly Lazy<SelftestTap> _tap = new(() => new SelftestTap(SteeringBackendKind.Ebpf));

    /// <summary>The shared tap; created on first use, so a skipped (non-root) run creates nothing.</summary>
    public SelftestTap Tap => _tap.Value;

    public void Dispose()
    {
        if (_tap.IsValueCreated)
        {
            _tap.Value.Dispose();
        }
    }
}
