using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>Where the test inputs live: captures installed by Debian packages and the shared vectors.</summary>
internal static class TestFiles
{
    /// <summary>golang-github-gopacket-gopacket-dev: the pcapng conformance suite and three classic captures.</summary>
    public const string GopacketTests = "/usr/share/gocode/src/github.com/gopacket/gopacket/pcapgo/tests";

    public const string GopacketPcaps = "/usr/share/gocode/src/github.com/gopacket/gopacket/pcap";

    /// <summary>python3-dpkt example captures.</summary>
    public const string Dpkt = "/usr/share/doc/python3-dpkt/examples/data";

    /// <summary>pcapfix example captures (good and damaged).</summary>
    public const string Pcapfix = "/usr/share/doc/pcapfix/examples";

    public static string RepositoryRoot { get; } = Repository.FindRoot();

    /// <summary>The public Toeplitz vectors, <c>../shared/vectors/toeplitz-public.json</c> from the repository root.</summary>
    public static string Vectors => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "vectors", "toeplitz-public.json"));
}
