using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Steering;
using VnetHash.Tap.Tests.Infrastructure;
using Xunit;

namespace VnetHash.Tap.Tests.Probing;

public sealed class HostProbeTests
{
    private const int CapNetAdmin = 12;

    [Fact]
    public void Without_the_device_probe_nothing_is_created_and_the_reason_is_given()
    {
        TunCapabilities capabilities = HostProbe.Run();
        Assert.False(string.IsNullOrEmpty(capabilities.KernelRelease));
        Assert.Null(capabilities.Device);
        Assert.Contains("not asked", capabilities.DeviceProbeSkipped, StringComparison.Ordinal);
        Assert.Equal(capabilities.IsRoot, RootFactAttribute.IsRoot);
    }

    [RootFact]
    public void Device_probe_in_a_namespace_answers_and_leaves_no_interface_behind()
    {
        using var ns = new NetworkNamespace();
        TunCapabilities capabilities = ns.Invoke(() => HostProbe.Run(new HostProbeOptions { CreateProbeDevice = true }));

        Assert.True(capabilities.Capabilities.NetAdmin);
        Assert.True(capabilities.TunDevice.Opens);
        TunDeviceProbe device = Assert.IsType<TunDeviceProbe>(capabilities.Device);
        Assert.Equal(0x5100, device.KernelFeatures & 0x5100);
        Assert.NotEqual(SteeringBackendKind.Auto, device.Auto.Kind);
        Assert.Equal(device.Hash.IsSupported, device.Auto.Kind == SteeringBackendKind.Kernel);
        Assert.Equal(device.SteeringProgramUsable && !device.Hash.IsSupported, device.Auto.Kind == SteeringBackendKind.Ebpf);
        // Only lo is left: the transient probe tap went with its fds.
        Assert.DoesNotContain("vnhprobe", ns.Exec("ip", "-o", "link", "show"), StringComparison.Ordinal);
    }

    [RootFact]
    public void Without_CAP_NET_ADMIN_creating_a_device_is_a_named_permission_error()
    {
        using var ns = new NetworkNamespace();
        (Exception? error, TunCapabilities probe) = ns.Invoke(() =>
        {
            Exception? caught = null;
            TunCapabilities? seen = null;
            // A thread of its own, started inside the namespace: dropping the capability affects only that thread.
            var thread = new Thread(() =>
            {
                Native.DropEffectiveCapability(CapNetAdmin);
                seen = HostProbe.Run(new HostProbeOptions { CreateProbeDevice = true });
                try
                {
                    TapDevice.Create(new TapDeviceOptions { Name = TestTaps.NewName() }).Dispose();
                }
                catch (Exception e)
                {
                    caught = e;
                }
            });
            thread.Start();
            thread.Join();
            return (caught, seen!);
        });

        TapException tap = Assert.IsType<TapException>(error);
        Assert.Equal(TapError.PermissionDenied, tap.Error);
        Assert.Equal(1, tap.Errno);
        Assert.Contains("CAP_NET_ADMIN", tap.Message, StringComparison.Ordinal);
        Assert.Contains("TUNSETIFF", tap.Message, StringComparison.Ordinal);

        Assert.False(probe.Capabilities.NetAdmin);
        Assert.Null(probe.Device);
        Assert.Contains("CAP_NET_ADMIN", probe.DeviceProbeSkipped, StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_capabilities_parse_CapEff()
    {
        EffectiveCapabilities all = EffectiveCapabilities.Parse("000001ffffffffff");
        Assert.True(all.NetAdmin && all.NetRaw && all.Bpf && all.SysAdmin && all.Perfmon);
        EffectiveCapabilities netAdminOnly = EffectiveCapabilities.Parse("0000000000001000");
        Assert.True(netAdminOnly.NetAdmin);
        Assert.False(netAdminOnly.Bpf);
        Assert.Throws<FormatException>(() => EffectiveCapabilities.Parse("not hex"));
    }
}
