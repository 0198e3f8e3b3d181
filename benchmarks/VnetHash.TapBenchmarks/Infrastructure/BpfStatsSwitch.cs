namespace VnetHash.TapBenchmarks.Infrastructure;

/// <summary>Turns <c>kernel.bpf_stats_enabled</c> on and puts back the value it had on dispose.</summary>
internal sealed class BpfStatsSwitch : IDisposable
{
    private const string Path = "/proc/sys/kernel/bpf_stats_enabled";
    private readonly string _previous;

    public BpfStatsSwitch()
    {
        _previous = File.ReadAllText(Path).Trim();
        File.WriteAllText(Path, "1");
    }

    public void Dispose() => File.WriteAllText(Path, _previous);
}
