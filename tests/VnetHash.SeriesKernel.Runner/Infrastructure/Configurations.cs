using VnetHash.Hashing;
using VnetHash.Rss;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>The configurations the scenarios use.</summary>
internal static class Configurations
{
    /// <summary>What the series kernel serves exactly: its six types, the Microsoft key, a round-robin table, linux-tun.</summary>
    public static RssConfiguration KernelNative(int queues, HashTypes types = HashTypes.AllNonEx) =>
        RssConfiguration.RoundRobin(queues, types, ToeplitzKey.MicrosoftKey, 128, HashProfile.LinuxTun);
}
