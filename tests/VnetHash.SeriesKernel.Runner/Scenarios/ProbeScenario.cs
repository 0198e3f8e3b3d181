using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.SeriesKernel.Runner.Infrastructure;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Steering;

namespace VnetHash.SeriesKernel.Runner.Scenarios;

/// <summary>
/// Generation detection on a fresh fd and on an attached queue (series-kernel-behaviour.md, "Telling the
/// generations apart"), and the kernel-native backend's whole-configuration check.
/// </summary>
internal sealed class ProbeScenario : IScenario
{
    public string Name => "probe";

    public void Run(Report report, ScenarioOptions options)
    {
        KernelHashSupport fresh = KernelHashProbe.ProbeUnattached();
        Check(report, "fresh-fd", fresh, options.Expect);

        Shell.DisableIPv6ByDefault();
        using TapDevice device = TapDevice.Create(new TapDeviceOptions { Name = "probe0", QueueCount = 2, BringUp = false });
        KernelHashSupport attached = KernelHashProbe.Probe(device.Queues[0]);
        Check(report, "attached-queue", attached, options.Expect);
        report.Check(
            report.Line("fresh-and-attached-agree").Add("fresh", fresh.Generation).Add("attached", attached.Generation),
            fresh.Generation == attached.Generation && fresh.Types == attached.Types,
            $"a fresh fd says {fresh.Generation} 0x{(uint)fresh.Types:x}, an attached queue {attached.Generation} 0x{(uint)attached.Types:x}");

        RssConfiguration served = Configurations.KernelNative(4);
        Verdict(report, attached, "served-0x3f-linux-tun-4-queues", served, 4, null);
        Verdict(report, attached, "ex-types", Configurations.KernelNative(4, HashTypes.All), 4, "IPv6 _EX types requested; this kernel supports 0x3f");
        Verdict(report, attached, "virtio-spec-profile", served.WithProfile(HashProfile.VirtioSpec), 4, "profile VirtioSpec");
        Verdict(report, attached, "symmetric", served.WithSymmetric(SymmetricMode.SortedTuple), 4, "symmetric mode");
        Verdict(report, attached, "one-queue", Configurations.KernelNative(1), 1, "never runs queue selection");
        Verdict(report, attached, "ipv6-only-key-length-bug", served.WithTypes(HashTypes.IPv6 | HashTypes.TcpV6 | HashTypes.UdpV6), 4, "key-length bug");

        // An explicit kernel choice that cannot serve fails with an error that names what is missing.
        ResultLine refused = report.Line("explicit-kernel-refuses-ipv6-only");
        try
        {
            using KernelSteering steering = KernelSteering.Start(device, served.WithTypes(HashTypes.IPv6 | HashTypes.TcpV6));
            report.Result(refused, "the kernel backend accepted IPv6-only types, which trigger the key-length bug");
        }
        catch (TapException error)
        {
            report.Check(refused.Add("error", error.Error).Add("message", error.Message), error.Error == TapError.NotSupported && error.Message.Contains("key-length bug", StringComparison.Ordinal), "not a NotSupported error naming the key-length bug");
        }

        AutoChoice(report, device, "rsstap-auto-takes-kernel", served.WithTypes(HashTypes.AllNonEx), SteeringBackendKind.Auto, null);
        AutoChoice(report, device, "rsstap-auto-leaves-kernel-for-ex-types", Configurations.KernelNative(2, HashTypes.All), SteeringBackendKind.Auto, "IPv6 _EX types requested; this kernel supports 0x3f");
        AutoChoice(report, device, "rsstap-auto-chooses-ebpf-for-virtio-spec-ex-types", RssConfiguration.RoundRobin(2, HashTypes.All, ToeplitzKey.MicrosoftKey, 128, HashProfile.VirtioSpec), SteeringBackendKind.Auto, "IPv6 _EX types requested; this kernel supports 0x3f", SteeringBackendKind.Ebpf);
        AutoChoice(report, device, "rsstap-explicit-kernel-refuses-ex-types", Configurations.KernelNative(2, HashTypes.All), SteeringBackendKind.Kernel, "IPv6 _EX types requested; this kernel supports 0x3f");

        // What the tool's probe reports: the host probe's Auto on a multi-queue device of this kernel.
        TunCapabilities host = HostProbe.Run(new HostProbeOptions { CreateProbeDevice = true });
        ResultLine hostLine = report.Line("host-probe-auto")
            .Add("auto_backend", host.Device?.Auto.Kind)
            .Add("kernel_native", host.Device?.Hash.IsSupported)
            .Add("kernel_native_abi", host.Device?.Hash.Generation)
            .Add("reason", host.Device?.Auto.Reason ?? host.DeviceProbeSkipped);
        report.Check(
            hostLine,
            host.Device is { } probed && probed.Auto.Kind == SteeringBackendKind.Kernel && probed.Hash.Generation == attached.Generation,
            "the host probe does not say Auto takes the kernel-native backend of this generation");

        ResultLine started = report.Line("explicit-kernel-starts-and-stops");
        using (KernelSteering steering = KernelSteering.Start(device, Configurations.KernelNative(2)))
        {
            started.Add("generation", steering.Generation).Add("mode", steering.Mode);
            steering.Stop();
            report.Check(started, steering.Generation == attached.Generation && steering.Configuration is null, "the backend did not use the probed generation or kept its configuration after Stop");
        }
    }

    /// <summary>
    /// The tap layer's backend choice: Auto takes the kernel only when it serves the whole configuration, otherwise it
    /// moves on and says why; an explicit kernel choice that cannot serve fails with the reason.
    /// </summary>
    private static void AutoChoice(Report report, TapDevice device, string name, RssConfiguration configuration, SteeringBackendKind backend, string? missing, SteeringBackendKind? taken = null)
    {
        ResultLine line = report.Line(name).Add("requested", backend);
        try
        {
            using RssTap tap = RssTap.Start(device, configuration, new RssTapOptions { Backend = backend });
            line.Add("backend", tap.Selection.Kind).Add("reason", tap.Selection.Reason);
            string? failure = missing is null
                ? tap.Selection.Kind == SteeringBackendKind.Kernel ? null : "the kernel can serve this configuration, yet another backend was taken"
                : tap.Selection.Kind == SteeringBackendKind.Kernel ? "the kernel was taken for a configuration it cannot serve"
                : !tap.Selection.Reason.Contains(missing, StringComparison.Ordinal) ? $"the reason does not say '{missing}'"
                : taken is not null && tap.Selection.Kind != taken ? $"{tap.Selection.Kind} was taken, {taken} expected"
                : null;
            report.Result(line, failure);
        }
        catch (TapException error)
        {
            line.Add("error", error.Error).Add("message", error.Message);
            report.Check(
                line,
                backend == SteeringBackendKind.Kernel && missing is not null && error.Error == TapError.NotSupported && error.Message.Contains(missing, StringComparison.Ordinal),
                "the choice failed where it should not, or without naming what is missing");
        }
    }

    private static void Check(Report report, string name, KernelHashSupport support, KernelHashGeneration? expect)
    {
        ResultLine line = report.Line(name)
            .Add("generation", support.Generation)
            .Add("flags", support.Flags)
            .Add("types", $"0x{(uint)support.Types:x}")
            .Add("detail", support.Detail);
        string? failure = support.Generation switch
        {
            KernelHashGeneration.None => "no generation found: this is not a series kernel",
            _ when expect is not null && support.Generation != expect => $"found {support.Generation}, expected {expect}",
            _ when support.Types != HashTypes.AllNonEx => $"types 0x{(uint)support.Types:x}, the series kernels report 0x3f",
            KernelHashGeneration.V5 when support.Flags != 0x3 => $"v5 flags 0x{support.Flags:x}, REPORT|RSS (0x3) expected",
            _ => null,
        };
        report.Result(line, failure);
    }

    private static void Verdict(Report report, KernelHashSupport support, string name, RssConfiguration configuration, int queues, string? missing)
    {
        KernelSteeringVerdict verdict = KernelSteering.Evaluate(support, configuration, queues);
        ResultLine line = report.Line($"auto-{name}").Add("kernel_native", verdict.CanServe).Add("reason", verdict.Reason);
        string? failure = missing is null
            ? verdict.CanServe ? null : "the kernel should serve this configuration"
            : verdict.CanServe ? "the kernel cannot serve this configuration exactly, yet it was taken"
            : verdict.Reason.Contains(missing, StringComparison.Ordinal) ? null : $"the reason does not name '{missing}'";
        report.Result(line, failure);
    }
}
