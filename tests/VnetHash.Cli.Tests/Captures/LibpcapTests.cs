using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>A libpcap that cannot be loaded is one clear error with the documented exit code, however the runtime reports it.</summary>
public sealed class LibpcapTests
{
    public static TheoryData<Exception> LoadFailures => new()
    {
        new DllNotFoundException("Unable to load shared library 'wpcap'"),
        new TypeInitializationException("SharpPcap.LibPcap.LibPcapSafeNativeMethods", new DllNotFoundException("Unable to load shared library 'wpcap'")),
    };

    [Theory]
    [MemberData(nameof(LoadFailures))]
    public void A_missing_libpcap_says_what_to_install_and_exits_4(Exception failure)
    {
        var e = Assert.Throws<LibpcapException>(() => Libpcap.Call<int>("--filter", () => throw failure));
        Assert.Equal(ExitCode.BackendUnavailable, e.Code);
        Assert.Equal(4, (int)e.Code);
        Assert.StartsWith("--filter needs libpcap, and no libpcap could be loaded", e.Message);
        Assert.Contains("apt install libpcap0.8", e.Message);
        Assert.Same(failure, e.InnerException);
    }

    [Fact]
    public void Other_failures_pass_through()
    {
        Assert.Throws<InvalidOperationException>(() => Libpcap.Call<int>("-i", () => throw new InvalidOperationException("x")));
        Assert.Equal(7, Libpcap.Call("-i", () => 7));
    }

    /// <summary>Capture files name raw IP LINKTYPE_RAW (101); libpcap compiles for its DLT_RAW (12).</summary>
    [Theory]
    [InlineData(LinkType.Ethernet, 1)]
    [InlineData(LinkType.Raw, 12)]
    [InlineData(LinkType.RawBsd12, 12)]
    [InlineData(LinkType.RawOpenBsd14, 12)]
    [InlineData(LinkType.LinuxSll, 113)]
    [InlineData(LinkType.IPv4, 228)]
    public void Link_types_map_to_libpcap_dlt_values(LinkType linkType, int dlt) => Assert.Equal(dlt, PacketFilter.Dlt(linkType));
}
