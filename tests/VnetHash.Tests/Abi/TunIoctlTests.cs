using VnetHash.Abi;

namespace VnetHash.Tests.Abi;

/// <summary>ioctl numbers against the literal values of kernel-series §2.1 (x86/arm64 <c>_IOC</c> layout).</summary>
public class TunIoctlTests
{
    public static TheoryData<string, uint, uint> Numbers() => new()
    {
        { "TUNSETIFF", TunIoctl.SetIff, 0x400454CA },
        { "TUNSETPERSIST", TunIoctl.SetPersist, 0x400454CB },
        { "TUNGETFEATURES", TunIoctl.GetFeatures, 0x800454CF },
        { "TUNSETOFFLOAD", TunIoctl.SetOffload, 0x400454D0 },
        { "TUNGETIFF", TunIoctl.GetIff, 0x800454D2 },
        { "TUNGETVNETHDRSZ", TunIoctl.GetVnetHdrSz, 0x800454D7 },
        { "TUNSETVNETHDRSZ", TunIoctl.SetVnetHdrSz, 0x400454D8 },
        { "TUNSETQUEUE", TunIoctl.SetQueue, 0x400454D9 },
        { "TUNSETVNETLE", TunIoctl.SetVnetLe, 0x400454DC },
        { "TUNGETVNETLE", TunIoctl.GetVnetLe, 0x800454DD },
        { "TUNSETVNETBE", TunIoctl.SetVnetBe, 0x400454DE },
        { "TUNGETVNETBE", TunIoctl.GetVnetBe, 0x800454DF },
        { "TUNSETSTEERINGEBPF", TunIoctl.SetSteeringEbpf, 0x800454E0 },
        { "TUNSETFILTEREBPF", TunIoctl.SetFilterEbpf, 0x800454E1 },
        { "v5 TUNGETVNETHASHCAP", TunIoctl.GetVnetHashCapV5, 0x800854E4 },
        { "v5 TUNSETVNETHASH", TunIoctl.SetVnetHashV5, 0x400854E5 },
        { "v12 TUNGETVNETHASHTYPES", TunIoctl.GetVnetHashTypesV12, 0x800454E4 },
        { "v12 TUNSETVNETREPORTINGAUTOMQ", TunIoctl.SetVnetReportingAutomqV12, 0x800454E5 },
        { "v12 TUNSETVNETREPORTINGRSS", TunIoctl.SetVnetReportingRssV12, 0x800854E6 },
        { "v12 TUNSETVNETRSS", TunIoctl.SetVnetRssV12, 0x800854E7 },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Number_matches_the_kernel_header_value(string name, uint actual, uint expected)
    {
        Assert.True(expected == actual, $"{name}: expected 0x{expected:X8}, got 0x{actual:X8}");
    }

    [Fact]
    public void Compose_and_the_field_accessors_are_inverse()
    {
        uint request = IoctlNumber.Compose(IoctlDirection.ReadWrite, 'T', 231, 0x3FFF);
        Assert.Equal(IoctlDirection.ReadWrite, IoctlNumber.DirectionOf(request));
        Assert.Equal('T', IoctlNumber.TypeOf(request));
        Assert.Equal(231, IoctlNumber.NumberOf(request));
        Assert.Equal(0x3FFF, IoctlNumber.SizeOf(request));
    }

    [Fact]
    public void Fields_that_do_not_fit_their_bits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlNumber.Compose(IoctlDirection.Read, 'T', 256, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlNumber.Compose(IoctlDirection.Read, 'T', 1, 1 << 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlNumber.Compose(IoctlDirection.Read, '\u0100', 1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlNumber.Compose((IoctlDirection)4, 'T', 1, 4));
    }

    [Fact]
    public void V12_report_choice_selects_the_ioctl()
    {
        Assert.Equal(TunIoctl.SetVnetReportingRssV12, TunVnetRssV12.IoctlFor(report: true));
        Assert.Equal(TunIoctl.SetVnetRssV12, TunVnetRssV12.IoctlFor(report: false));
    }
}
