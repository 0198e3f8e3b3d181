using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Tests.Infrastructure;
using Xunit;

namespace VnetHash.Tap.Tests.Devices;

public sealed class TapDeviceTests
{
    [RootFact]
    public void Create_multi_queue_tap_reports_name_index_mac_header_and_queue_order()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 3);

        Assert.Equal(3, device.Queues.Count);
        Assert.True(device.InterfaceIndex > 0);
        Assert.Equal(6, device.MacAddress.GetAddressBytes().Length);
        Assert.True(device.IsLinkUp);
        Assert.True(device.Mtu >= 68);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i, device.Queues[i].Index);
            Assert.Equal(20, device.Queues[i].QueryVnetHeaderSize());
        }

        // linux-tap-ebpf.md §1: MULTI_QUEUE, NO_PI and VNET_HDR are among the offered features.
        Assert.Equal(0x5100, device.KernelFeatures & 0x5100);
        Assert.True(ns.HasLink(device.Name));
    }

    [RootFact]
    public void Create_refuses_an_existing_name_with_a_named_busy_error()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        var error = Assert.Throws<TapException>(() => ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = device.Name })));
        Assert.Equal(TapError.Busy, error.Error);
        Assert.Contains("TUNSETIFF", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Attach_to_missing_device_is_not_found_and_to_persistent_device_adds_queues()
    {
        using var ns = new NetworkNamespace();
        string missing = TestTaps.NewName();
        var error = Assert.Throws<TapException>(() => ns.Invoke(() => TapDevice.Attach(new TapDeviceOptions { Name = missing })));
        Assert.Equal(TapError.NotFound, error.Error);

        string name;
        using (TapDevice persistent = TestTaps.Create(ns, queues: 1, persistent: true))
        {
            name = persistent.Name;
        }

        Assert.True(ns.HasLink(name));
        using (TapDevice attached = ns.Invoke(() => TapDevice.Attach(new TapDeviceOptions { Name = name, QueueCount = 2, BringUp = false })))
        {
            Assert.Equal(2, attached.Queues.Count);
            attached.SetPersistent(false);
        }

        Assert.False(ns.HasLink(name));
    }

    [RootFact]
    public void Transient_device_disappears_with_its_last_fd()
    {
        using var ns = new NetworkNamespace();
        TapDevice device = TestTaps.Create(ns, queues: 2);
        string name = device.Name;
        device.Dispose();
        Assert.False(ns.HasLink(name));
    }

    [RootFact]
    public void Detaching_queue_k_moves_the_last_queue_into_slot_k_like_tun()
    {
        // kernel-series.md §4.2: tun keeps queue indices dense; the last queue fills the hole.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 4);
        TapQueue[] original = [.. device.Queues];

        device.DetachQueue(original[1]);
        Assert.Equal([original[0], original[3], original[2]], device.Queues);
        Assert.Equal(-1, original[1].Index);
        Assert.Equal(1, original[3].Index);

        device.AttachQueue(original[1]);
        Assert.Equal(3, original[1].Index);

        original[0].Dispose();
        Assert.Equal([original[1], original[3], original[2]], device.Queues);
        Assert.Equal(4 - 1, device.AllQueues.Count);
    }

    [RootFact]
    public void Detach_of_a_detached_queue_is_a_named_state_error()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        TapQueue queue = device.Queues[1];
        device.DetachQueue(queue);
        Assert.Throws<InvalidOperationException>(() => device.DetachQueue(queue));
        device.AttachQueue(queue);
        Assert.Throws<InvalidOperationException>(() => device.AttachQueue(queue));
    }

    [RootFact]
    public void Offloads_are_set_by_value_and_unknown_bits_are_refused()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        device.SetOffloads(TapOffloads.Checksum | TapOffloads.Tso4 | TapOffloads.Tso6);
        Assert.Equal(TapOffloads.Checksum | TapOffloads.Tso4 | TapOffloads.Tso6, device.Offloads);
        Assert.Throws<ArgumentOutOfRangeException>(() => device.SetOffloads((TapOffloads)0x200));
    }

    [RootFact]
    public void Closing_everything_leaves_no_fd_behind()
    {
        using var ns = new NetworkNamespace();
        static void Round(NetworkNamespace ns)
        {
            using TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = TestTaps.NewName(), QueueCount = 4 }));
            device.DetachQueue(device.Queues[0]);
            device.Queues[1].Dispose();
        }

        Round(ns);
        int before = TestTaps.OpenFdCount();
        for (int round = 0; round < 3; round++)
        {
            Round(ns);
        }

        Assert.Equal(before, TestTaps.OpenFdCount());
    }

    [Fact]
    public void Options_name_the_field_they_reject()
    {
        Assert.Equal("Name", Assert.Throws<ArgumentException>(() => new TapDeviceOptions { Name = "this-name-is-too-long" }.Validate()).ParamName);
        Assert.Equal("Name", Assert.Throws<ArgumentException>(() => new TapDeviceOptions { Name = "a/b" }.Validate()).ParamName);
        Assert.Equal("QueueCount", Assert.Throws<ArgumentOutOfRangeException>(() => new TapDeviceOptions { QueueCount = 0 }.Validate()).ParamName);
        Assert.Equal("QueueCount", Assert.Throws<ArgumentOutOfRangeException>(() => new TapDeviceOptions { QueueCount = 257 }.Validate()).ParamName);
        Assert.Equal("VnetHeaderSize", Assert.Throws<ArgumentOutOfRangeException>(() => new TapDeviceOptions { VnetHeaderSize = 8 }.Validate()).ParamName);
        Assert.Equal("Offloads", Assert.Throws<ArgumentException>(() => new TapDeviceOptions { VnetHeaderSize = 0, Offloads = TapOffloads.Checksum }.Validate()).ParamName);
        Assert.Equal("Offloads", Assert.Throws<ArgumentException>(() => new TapDeviceOptions { Offloads = TapOffloads.Tso4 }.Validate()).ParamName);
    }
}
