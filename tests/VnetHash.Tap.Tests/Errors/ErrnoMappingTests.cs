using VnetHash.Tap.Errors;
using Xunit;

namespace VnetHash.Tap.Tests.Errors;

/// <summary>The one errno mapper (style-anchors.md §2): every errno becomes a named error that keeps the errno and says what to do.</summary>
public sealed class ErrnoMappingTests
{
    [Theory]
    [InlineData(1, TapError.PermissionDenied, "CAP_NET_ADMIN")]
    [InlineData(13, TapError.PermissionDenied, "CAP_NET_ADMIN")]
    [InlineData(77, TapError.DeviceGone, "deleted")]
    [InlineData(19, TapError.DeviceGone, "no such device")]
    [InlineData(22, TapError.InvalidArgument, "rejected")]
    [InlineData(16, TapError.Busy, "busy")]
    [InlineData(12, TapError.ResourceExhausted, "out of memory")]
    [InlineData(25, TapError.NotSupported, "does not support")]
    [InlineData(100, TapError.Other, "link is down")]
    [InlineData(1234, TapError.Other, "unexpected")]
    public void Errno_maps_to_a_named_error_with_the_errno_kept(int errno, TapError expected, string hint)
    {
        TapException error = Interop.IoErrors.Create(errno, "TUNSETIFF", "vnh0");
        Assert.Equal(expected, error.Error);
        Assert.Equal(errno, error.Errno);
        Assert.Equal("TUNSETIFF", error.Operation);
        Assert.Contains("TUNSETIFF on vnh0 failed", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.Contains($"errno {errno}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_dev_net_tun_says_how_to_get_it()
    {
        TapException error = Interop.IoErrors.Create(2, "open", "/dev/net/tun");
        Assert.Equal(TapError.NotFound, error.Error);
        Assert.Contains("modprobe tun", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permission_error_can_name_another_capability()
    {
        TapException error = Interop.IoErrors.Create(1, "sendto", "interface 3", "CAP_NET_RAW");
        Assert.Contains("CAP_NET_RAW", error.Message, StringComparison.Ordinal);
    }
}
