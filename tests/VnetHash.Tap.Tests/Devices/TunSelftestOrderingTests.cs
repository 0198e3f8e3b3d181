using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Tests.Infrastructure;
using Xunit;

namespace VnetHash.Tap.Tests.Devices;

/// <summary>
/// The series' <c>FIXTURE(tun)</c> and <c>FIXTURE(tun_deleted)</c> selftests (kernel-series.md §8.1): two fds on one
/// multi-queue tap, detached, re-attached, closed and deleted in every order.
/// </summary>
public sealed class TunSelftestOrderingTests
{
    [RootFact]
    public void Delete_detach_close_detach_after_delete_is_device_gone()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        TapQueue queue = device.Queues[0];
        ns.DeleteLink(device.Name);

        var error = Assert.Throws<TapException>(() => device.DetachQueue(queue));
        Assert.Equal(TapError.DeviceGone, error.Error);
        Assert.Equal(22, error.Errno);
    }

    [RootFact]
    public void Detach_delete_close()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        device.DetachQueue(device.Queues[0]);
        ns.DeleteLink(device.Name);
        Assert.False(ns.HasLink(device.Name));
    }

    [RootFact]
    public void Detach_close_delete()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        TapQueue queue = device.Queues[0];
        device.DetachQueue(queue);
        queue.Dispose();
        Assert.Single(device.Queues);
        ns.DeleteLink(device.Name);
        Assert.False(ns.HasLink(device.Name));
    }

    [RootFact]
    public void Reattach_delete_close()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        TapQueue queue = device.Queues[0];
        device.DetachQueue(queue);
        device.AttachQueue(queue);
        Assert.Equal(1, queue.Index);
        ns.DeleteLink(device.Name);
        Assert.False(ns.HasLink(device.Name));
    }

    [RootFact]
    public void Reattach_close_delete()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        TapQueue queue = device.Queues[0];
        device.DetachQueue(queue);
        device.AttachQueue(queue);
        queue.Dispose();
        Assert.Single(device.Queues);
        ns.DeleteLink(device.Name);
        Assert.False(ns.HasLink(device.Name));
    }

    [RootFact]
    public void Tun_deleted_getvnethdrsz_is_a_named_device_gone_error_with_EBADFD()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        TapQueue queue = device.Queues[0];
        ns.DeleteLink(device.Name);

        var error = Assert.Throws<TapException>(() => queue.QueryVnetHeaderSize());
        Assert.Equal(TapError.DeviceGone, error.Error);
        Assert.Equal(77, error.Errno);
        Assert.Contains("TUNGETVNETHDRSZ", error.Message, StringComparison.Ordinal);
        Assert.Contains("deleted", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Tun_deleted_link_operations_are_device_gone()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        ns.DeleteLink(device.Name);
        var error = Assert.Throws<TapException>(() => device.SetLinkUp(true));
        Assert.Equal(TapError.DeviceGone, error.Error);
    }
}
